package org.overparam.train;

/**
 * The state a run can be resumed from: the next step to take, the current and initial parameters, and the
 * momentum buffer (empty when momentum is 0). Minibatch order is a function of (seed, epoch or step) only,
 * so no random-generator state is needed: a resumed run is bit-identical to an uninterrupted one.
 */
public record TrainState(long step, double[] parameters, double[] initialParameters, double[] velocity) {
}
