package org.overparam.train;

import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Network;
import org.overparam.nn.Workspace;

/**
 * Plain full-batch GD, w ← w − η∇L(w), that stops as soon as the training loss reaches a target (the update is
 * folded into the backward pass, as in {@link Trainer}). For searches that train many nets and only need to know
 * whether and when the target was reached; use {@link Trainer} for recorded runs.
 */
public final class GdToTarget {
    private GdToTarget() {
    }

    /**
     * @param steps     updates taken
     * @param finalLoss L at the returned weights
     * @param minLoss   the smallest L seen (at w_0 … w_steps)
     * @param reached   finalLoss ≤ target
     * @param diverged  the loss became NaN/Inf (the run stopped there)
     */
    public record Outcome(long steps, double finalLoss, double minLoss, boolean reached, boolean diverged) {
    }

    /** Trains {@code net} in place for at most {@code maxSteps} updates; a target of 0 or less runs them all. */
    public static Outcome run(Network net, Matrix x, Matrix y, Loss loss, double lr, long maxSteps, double target) {
        int k = net.widths()[net.layers()];
        double min = Double.POSITIVE_INFINITY;
        try (Workspace ws = net.workspace(x.rows()); Matrix dOut = Matrix.zeros(x.rows(), k)) {
            for (long step = 0;; step++) {
                double value = loss.gradient(net.forward(x, ws), y, dOut);
                if (!Double.isFinite(value) || !Vectors.allFinite(net.parameters())) {
                    return new Outcome(step, value, min, false, true);
                }
                min = Math.min(min, value);
                if (value <= target || step == maxSteps) {
                    return new Outcome(step, value, min, value <= target, false);
                }
                net.backward(x, ws, dOut, net.parameters(), -lr, 1.0);
            }
        }
    }
}
