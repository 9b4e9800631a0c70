package org.overparam.experiment;

import org.overparam.train.Loss;
import org.overparam.train.Optimizer;
import org.overparam.train.Sampling;
import org.overparam.train.Schedule;
import org.overparam.train.TrainSpec;

/**
 * How a run trains: loss, optimizer and its settings, length (steps, or epochs when positive), seed,
 * record interval and stopping rules. {@link #spec(long)} gives the trainer's {@link TrainSpec}.
 */
public record TrainingConfig(Parsed<Loss> loss, Parsed<Optimizer> optimizer, double lr, Parsed<Schedule> schedule,
        double momentum, long steps, long epochs, int batch, Parsed<Sampling> sampling, long seed, int recordEvery,
        double targetLoss, boolean stopAtFit) {

    /** A loss above this multiple of the initial one (or NaN/Inf) ends the run as diverged. */
    public static final double DIVERGENCE_FACTOR = 1e6;

    public TrainingConfig {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new ConfigError(ConfigField.LR, "must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new ConfigError(ConfigField.MOMENTUM, "must be in [0, 1), got " + momentum);
        }
        if (steps < 0) {
            throw new ConfigError(ConfigField.STEPS, "must be >= 0, got " + steps);
        }
        if (epochs < 0) {
            throw new ConfigError(ConfigField.EPOCHS, "must be >= 0 (0 = use steps), got " + epochs);
        }
        if (optimizer.value() == Optimizer.SGD && batch <= 0) {
            throw new ConfigError(ConfigField.BATCH, "must be positive for sgd, got " + batch);
        }
        if (recordEvery <= 0) {
            throw new ConfigError(ConfigField.RECORD_EVERY, "must be positive, got " + recordEvery);
        }
        if (!(targetLoss >= 0) || !Double.isFinite(targetLoss)) {
            throw new ConfigError(ConfigField.TARGET_LOSS, "must be a finite number >= 0 (0 = off), got " + targetLoss);
        }
    }

    /** The number of updates on n training samples: {@code epochs} epochs when positive, else {@code steps}. */
    public long stepsFor(int n) {
        if (epochs == 0) {
            return steps;
        }
        int b = optimizer.value() == Optimizer.GD ? n : Math.min(Math.max(batch, 1), n);
        try {
            return Math.multiplyExact(epochs, (long) ((n + b - 1) / b));
        } catch (ArithmeticException e) {
            throw new ConfigError(ConfigField.EPOCHS, "is more steps than a long holds (" + epochs + "); use fewer epochs");
        }
    }

    /** The trainer's settings for a run of {@code steps} updates. */
    public TrainSpec spec(long steps) {
        return new TrainSpec(loss.value(), optimizer.value(), lr, schedule.value(), momentum, steps, batch,
                sampling.value(), seed, recordEvery, DIVERGENCE_FACTOR);
    }
}
