package org.overparam.train;

import org.overparam.nn.Network;

/**
 * Watches a run without being part of the loop: the recorder writing CSV, the progress bar, and later the
 * theorem checks (PL constant, kernel drift) plug in here.
 */
public interface TrainObserver {
    default void onStart(Network net, TrainSpec spec, long totalSteps) {
    }

    /** Called for every step (the loss) and, at record steps, with all measurements. */
    void onStep(StepRecord record, Network net);

    default void onEnd(TrainResult result, Network net) {
    }
}
