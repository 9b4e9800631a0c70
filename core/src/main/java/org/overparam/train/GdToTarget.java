package org.overparam.train;

import org.overparam.linalg.Matrix;
import org.overparam.nn.Model;

/**
 * Plain full-batch GD, w ← w − η∇L(w), that stops as soon as the training loss reaches a target (it is the
 * {@link Trainer} with a {@link StopRule}). For searches that train many nets and only need to know
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

    /**
     * Trains {@code net} in place for at most {@code maxSteps} updates; a target of 0 or less runs them all. The
     * {@link Trainer} with a {@link StopRule}, measuring nothing but the loss (one record at the start and one at
     * the end); a loss that turns NaN/Inf or grows 10⁶-fold is a divergence.
     */
    public static Outcome run(Model net, Matrix x, Matrix y, Loss loss, double lr, long maxSteps, double target) {
        double[] min = {Double.POSITIVE_INFINITY};
        TrainSpec spec = TrainSpec.gd(loss, lr, maxSteps, 0).withRecordEvery(Integer.MAX_VALUE);
        try {
            TrainResult r = new Trainer(net, x, y, spec).stopWhen(new StopRule(Math.max(target, 0), false))
                    .observe((rec, w) -> min[0] = Math.min(min[0], rec.loss())).run();
            double value = r.last().loss();
            return new Outcome(r.steps(), value, min[0], target > 0 && value <= target, false);
        } catch (DivergenceException e) {
            return new Outcome(e.step(), e.loss(), min[0], false, true);
        }
    }
}
