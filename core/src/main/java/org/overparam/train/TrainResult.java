package org.overparam.train;

/**
 * The outcome of a run: the final measurements, the first loss and how long it took.
 *
 * @param steps        the step of the final record: the step budget, or the step a {@link StopRule} was met at
 * @param stoppedEarly whether a stop rule ended the run before its budget
 */
public record TrainResult(long steps, StepRecord first, StepRecord last, double seconds, double secondsPerStep,
        boolean resumed, boolean stoppedEarly) {
}
