package org.overparam.experiment;

import org.overparam.InputError;

/**
 * The polylog-width experiment (Chen, Cao, Zou &amp; Gu, ICLR 2021): for each n, the width at which GD on the chen2021
 * model reaches a target logistic training loss on margin data, and the paper's generalization bound beside the
 * measured test error.
 *
 * @param ns          training-set sizes (the first n points of one pool, so the sets are nested)
 * @param d           input dimension
 * @param gamma       margin of the {@code margin:} data (linear separability on the unit sphere)
 * @param depth       L, the number of weight matrices (L − 1 hidden layers of width m)
 * @param seeds       initializations per width; a width succeeds when every seed reaches the target
 * @param steps       GD step budget per run
 * @param lr          c in η = c/(L m) (their Theorem 3.3: η = Θ(L^{−1} m^{−1}))
 * @param target      the training-loss goal L_S ≤ target
 * @param radius      R of the NTRF class at which ε_NTRF(R) is reported and the bound evaluated
 * @param testSize    held-out points (from the same pool, hence the same separating direction)
 * @param delta       δ in the bound's √(log(1/δ)/n)
 * @param dataSeed    seed of the pool
 * @param startWidth  first width of the geometric search
 * @param widthFactor grid factor of the geometric search
 * @param maxWidth    the search's cap
 */
public record PolylogConfig(int[] ns, int d, double gamma, int depth, int seeds, long steps, double lr, double target,
        double radius, int testSize, double delta, long dataSeed, int startWidth, double widthFactor, int maxWidth) {

    public PolylogConfig {
        ns = ns.clone();
        if (ns.length == 0) {
            throw new InputError("--n needs at least one training-set size");
        }
        for (int n : ns) {
            if (n < 2) {
                throw new InputError("--n sizes must be at least 2, got " + n);
            }
        }
        if (d < 1) {
            throw new InputError("--d must be positive, got " + d);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new InputError("--gamma must be in (0, 1], got " + gamma);
        }
        if (depth < 2) {
            throw new InputError("--depth is L, the number of weight matrices, and must be at least 2, got " + depth);
        }
        if (seeds < 1) {
            throw new InputError("--seeds must be positive, got " + seeds);
        }
        if (steps < 1) {
            throw new InputError("--steps must be positive, got " + steps);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputError("--lr must be a positive number (the c in eta = c/(L m)), got " + lr);
        }
        if (!(target > 0) || !Double.isFinite(target)) {
            throw new InputError("--target must be a positive training loss, got " + target);
        }
        if (!(radius >= 0) || !Double.isFinite(radius)) {
            throw new InputError("--radius must be finite and >= 0, got " + radius);
        }
        if (testSize < 1) {
            throw new InputError("--test must be positive, got " + testSize);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new InputError("delta must be in (0, 1), got " + delta);
        }
        if (startWidth < 1 || !(widthFactor > 1) || maxWidth < startWidth) {
            throw new InputError("--max-width must be at least the first width " + startWidth + ", got " + maxWidth);
        }
    }

    @Override
    public int[] ns() {
        return ns.clone();
    }

    public int maxN() {
        return java.util.Arrays.stream(ns).max().orElseThrow();
    }
}
