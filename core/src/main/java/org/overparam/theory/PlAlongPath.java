package org.overparam.theory;

import java.util.ArrayList;
import java.util.List;
import org.overparam.nn.Network;
import org.overparam.train.Optimizer;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainSpec;

/**
 * Records the pointwise PL ratio along a full-batch GD run: at every record step k with a measured gradient,
 * ratio_k = ‖∇L(w_k)‖² / (L(w_k) − L*), and its minimum over the path. For mse with L* = 0 this is the
 * μ_k of {@link NonlinearLeastSquaresPl} (‖∇L‖² ≥ μL). In Karimi, Nutini &amp; Schmidt's convention
 * ½‖∇L‖² ≥ μ(L − L*) the constant is half of it: {@link #karimiMu()}.
 *
 * <p>The PL constant of a theorem is the infimum over a region containing the iterates; this minimum is
 * taken over the sampled iterates only, so it is an upper bound on (an estimate of) any region's constant.
 * Points with L(w_k) − L* at or below {@link #floor()} = max(relativeFloor·(L(w_0) − L*), 1e-8·|L*|) are
 * skipped (their ratio is rounding noise; the second term covers the cancellation in L − L*).
 * Records the loss at every step as well.
 */
public final class PlAlongPath implements TrainObserver {
    private final double lStar;
    private final double relativeFloor;
    private final List<Long> steps = new ArrayList<>();
    private final List<Double> ratios = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private double floor = Double.NaN;
    private long argmin = -1;
    private double min = Double.POSITIVE_INFINITY;

    /**
     * @param lStar         the optimal value L* (0 for an interpolating model under mse)
     * @param relativeFloor skip points with L − L* ≤ relativeFloor·(L(w_0) − L*)
     */
    public PlAlongPath(double lStar, double relativeFloor) {
        this.lStar = lStar;
        this.relativeFloor = relativeFloor;
    }

    /** L* = 0 and a floor of 1e-12 relative to L(w_0). */
    public PlAlongPath() {
        this(0.0, 1e-12);
    }

    @Override
    public void onStart(org.overparam.nn.Model net, TrainSpec spec, long totalSteps) {
        if (spec.optimizer() != Optimizer.GD) {
            throw new IllegalArgumentException("PlAlongPath needs full-batch gd (sgd records minibatch gradients)");
        }
    }

    @Override
    public void onStep(StepRecord r, org.overparam.nn.Model net) {
        losses.add(r.loss());
        if (Double.isNaN(floor)) {
            // below the floor the ratio is rounding noise: relative to the initial gap, and (when L* ≠ 0) the
            // cancellation in L − L*, whose absolute error is ~ε·|L*|; 1e-8·|L*| keeps it below ~1e-8 relative
            floor = Math.max(relativeFloor * (r.loss() - lStar), 1e-8 * Math.abs(lStar));
        }
        double gap = r.loss() - lStar;
        if (Double.isNaN(r.gradNormSq()) || !(gap > floor)) {
            return;
        }
        double ratio = r.gradNormSq() / gap;
        steps.add(r.step());
        ratios.add(ratio);
        if (ratio < min) {
            min = ratio;
            argmin = r.step();
        }
    }

    /** min_k ‖∇L(w_k)‖²/(L(w_k) − L*) over the recorded points (+∞ when none). */
    public double minRatio() {
        return min;
    }

    /** ½·{@link #minRatio()}: μ̂ in the convention ½‖∇L‖² ≥ μ(L − L*). */
    public double karimiMu() {
        return 0.5 * min;
    }

    /** The step where the minimum was attained (−1 when none). */
    public long argminStep() {
        return argmin;
    }

    public List<Long> steps() {
        return List.copyOf(steps);
    }

    public List<Double> ratios() {
        return List.copyOf(ratios);
    }

    /** L(w_k) at every step k. */
    public List<Double> losses() {
        return List.copyOf(losses);
    }

    public double floor() {
        return floor;
    }

    /** One line stating what the minimum is and is not. */
    public String describe() {
        return String.format("min over %d sampled iterates of ||grad L||^2/(L - L*) = %.6g at step %d (L* = %g); "
                + "pointwise values only: a PL constant needs the infimum over a region containing the path, "
                + "so this is an upper estimate of it", steps.size(), min, argmin, lStar);
    }
}
