package org.overparam.train;

import org.overparam.nn.Model;

/**
 * Watches a run without being part of the loop: the recorder writing CSV, the progress bar, and later the
 * theorem checks (PL constant, kernel drift) plug in here.
 */
public interface TrainObserver {
    default void onStart(Model net, TrainSpec spec, long totalSteps) {
    }

    /**
     * Called at every record step with the network still at w_k, before the k-th update (so a measurement of the
     * weights belongs to the same step as the record); {@link #onStep} follows, after the update.
     */
    default void atRecord(long step, Model net) {
    }

    /** Called for every step (the loss) and, at record steps, with all measurements; the net is at w_{k+1}. */
    void onStep(StepRecord record, Model net);

    default void onEnd(TrainResult result, Model net) {
    }
}
