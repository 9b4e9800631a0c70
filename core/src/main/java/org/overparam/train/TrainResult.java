package org.overparam.train;

/** The outcome of a run: the final measurements, the first loss and how long it took. */
public record TrainResult(long steps, StepRecord first, StepRecord last, double seconds, double secondsPerStep,
        boolean resumed) {
}
