package org.overparam.train;

import org.overparam.InputError;

/**
 * Everything that determines a training run besides the network and data. Update rule, nothing hidden:
 * w ← w − η_k·g (plain), or v ← μ·v + g, w ← w − η_k·v (heavy-ball momentum, PyTorch's convention),
 * with g the full-batch gradient (gd) or the minibatch gradient (sgd).
 *
 * @param recordEvery   gradient norm, distance from init and accuracies are recorded every this many steps
 *                      (the loss at every step); the last step is always recorded
 * @param divergenceFactor a loss above this multiple of the initial loss (or NaN/Inf) stops the run
 */
public record TrainSpec(Loss loss, Optimizer optimizer, double lr, Schedule schedule, double momentum, long steps,
        int batch, Sampling sampling, long seed, int recordEvery, double divergenceFactor) {

    public TrainSpec {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputError("--lr must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InputError("--momentum must be in [0, 1), got " + momentum);
        }
        if (steps < 0) {
            throw new InputError("--steps must be >= 0, got " + steps);
        }
        if (optimizer == Optimizer.SGD && batch <= 0) {
            throw new InputError("--batch must be positive for sgd, got " + batch);
        }
        if (recordEvery <= 0) {
            throw new InputError("--record-every must be positive, got " + recordEvery);
        }
        if (!(divergenceFactor > 1)) {
            throw new InputError("divergence factor must exceed 1, got " + divergenceFactor);
        }
    }

    /** Plain full-batch GD with constant step size η for T steps. */
    public static TrainSpec gd(Loss loss, double lr, long steps, long seed) {
        return new TrainSpec(loss, Optimizer.GD, lr, Schedule.CONSTANT, 0.0, steps, 0, Sampling.SHUFFLE, seed, 1, 1e6);
    }

    public TrainSpec withRecordEvery(int every) {
        return new TrainSpec(loss, optimizer, lr, schedule, momentum, steps, batch, sampling, seed, every,
                divergenceFactor);
    }

    /** The minibatch size actually used on n samples (n for gd; at most n for sgd). */
    public int effectiveBatch(int n) {
        return optimizer == Optimizer.GD ? n : Math.min(batch, n);
    }

    /** Steps in one epoch over n samples (1 for gd). */
    public long stepsPerEpoch(int n) {
        int b = effectiveBatch(n);
        return (n + b - 1) / b;
    }
}
