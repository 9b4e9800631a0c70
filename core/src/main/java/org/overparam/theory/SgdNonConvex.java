package org.overparam.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Network;
import org.overparam.train.DivergenceException;
import org.overparam.train.Optimizer;
import org.overparam.train.Sampling;
import org.overparam.train.Schedule;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Check 2 — SGD on a smooth non-convex function finds approximate stationary points.
 *
 * <p>Paper: Ghadimi &amp; Lan, <i>Stochastic first- and zeroth-order methods for nonconvex stochastic
 * programming</i>, SIAM J. Optim. 2013 (Theorem 2.1 / Corollary 2.2 with constant steps), in the form of Bottou,
 * Curtis &amp; Nocedal, <i>Optimization methods for large-scale machine learning</i>, SIAM Review 2018, Theorem 4.8
 * (fixed step, non-convex). Statement checked: if f is β-smooth, bounded below by f*, and the stochastic
 * gradient g_k is unbiased (E[g_k | w_k] = ∇f(w_k)) with E[‖g_k − ∇f(w_k)‖² | w_k] ≤ σ², then SGD
 * w_{k+1} = w_k − ηg_k with η ≤ 1/β satisfies
 * <pre>
 *   min_k E‖∇f(w_k)‖² ≤ (1/T) Σ_{k&lt;T} E‖∇f(w_k)‖² ≤ 2(f(w_0) − f*)/(ηT) + βησ².
 * </pre>
 * Derivation (the lecture's constants are garbled, so here is the whole argument): the descent lemma gives
 * f(w_{k+1}) ≤ f(w_k) − η∇f(w_k)ᵀg_k + (βη²/2)‖g_k‖²; taking E[· | w_k] and using E‖g_k‖² = ‖∇f‖² +
 * E‖g_k − ∇f‖² ≤ ‖∇f‖² + σ², E f(w_{k+1}) ≤ E f(w_k) − η(1 − βη/2)E‖∇f(w_k)‖² + βη²σ²/2; η ≤ 1/β makes
 * 1 − βη/2 ≥ ½; summing over k &lt; T and using f(w_T) ≥ f* gives (η/2)Σ E‖∇f(w_k)‖² ≤ f(w_0) − f* + Tβη²σ²/2,
 * i.e. the bound. The lecture's bounded-gradient form (E‖g‖ ≤ L, to be read as the second moment E‖g‖² ≤ L²,
 * which is what the descent lemma needs) follows from the same line without splitting ‖g‖²:
 * (1/T) Σ E‖∇f(w_k)‖² ≤ (f(w_0) − f*)/(ηT) + βηL²/2; it is reported beside the main bound.
 *
 * <p>Normalization: f is our training loss L = (1/n)Σ ℓ_i (for mse ℓ_i = ½‖h_i − y_i‖², L = (1/(2n))Σ‖h − y‖²),
 * the stochastic gradient is the minibatch gradient (1/b)Σ_{j∈B}∇ℓ_j with the b indices drawn uniformly with
 * replacement ({@link Sampling#REPLACEMENT}: exactly unbiased; reshuffled epochs are not unbiased given w_k, so
 * this check always samples with replacement). The theorem is stated for f itself, so no η/n conversion enters:
 * η here is our step on L, and the paper-form (½Σ‖u − y‖² = nL) reading is η_paper = η/n with β_paper = nβ,
 * σ²_paper = n²σ², f_paper = nf, ‖∇f_paper‖² = n²‖∇L‖²: βη is invariant and both sides of the bound scale by n²,
 * so the verdict does not depend on the form; both η forms are printed.
 *
 * <p>Measured: S runs of SGD (seeds seed, seed+1, …) from the setup's weights for T steps. A {@link TrainObserver}
 * computes the full-batch gradient ‖∇L(w_k)‖² at every iterate w_0..w_{T−1} (w_0 in onStart, w_{k+1} in onStep
 * after update k: the Trainer's own record is the minibatch gradient, so it is not used). The expectation is
 * the mean over the S seeds, printed with the standard deviation and range over seeds. σ² is, at a few sampled
 * iterates of every run, the exact with-replacement minibatch variance (1/b)(1/n)Σ_i‖∇ℓ_i − ∇L‖² (per-sample
 * gradients), maximized over them; β̂ = max of {@link Smoothness} at w_0 and sampled iterates of the first run;
 * f* = 0 assumed for interpolating models (stated) or given.
 *
 * <p>Hypothesis: η ≤ 1/β̂ and f* ≤ every loss seen; η &gt; 1/β̂ is {@code hypothesis not met}. σ² and β̂ are
 * sampled, not bounded over the region visited, and the expectation is over S seeds: a miss is
 * {@code inconclusive}.
 */
public final class SgdNonConvex implements TheoremCheck {
    private final double lr;
    private final long steps;
    private final int batch;
    private final int seeds;
    private final double lStar;
    private final boolean lStarGiven;
    private final int samples;
    private final long seed;

    /**
     * @param lr      SGD step η on our loss L
     * @param steps   T
     * @param batch   minibatch size b (drawn with replacement)
     * @param seeds   S, the number of SGD runs the expectation is averaged over (≥ 2 for a spread)
     * @param lStar   f*, or NaN to assume f* = 0 (interpolating models)
     * @param samples iterates per run (evenly spaced, w_0 always) where σ² (every run) and β̂ (first run) are sampled
     * @param seed    seed of the first run
     */
    public SgdNonConvex(double lr, long steps, int batch, int seeds, double lStar, int samples, long seed) {
        if (!(lr > 0) || steps < 1 || batch < 1 || seeds < 1 || samples < 1) {
            throw new IllegalArgumentException("need lr > 0, steps, batch, seeds, samples >= 1");
        }
        this.lr = lr;
        this.steps = steps;
        this.batch = batch;
        this.seeds = seeds;
        this.lStarGiven = !Double.isNaN(lStar);
        this.lStar = lStarGiven ? lStar : 0.0;
        this.samples = samples;
        this.seed = seed;
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p("lr", lr, "steps", steps, "batch", batch, "seeds", seeds, "f_star", lStarGiven ? lStar : "0 (assumed)", "smoothness_samples", samples, "seed", seed);
    }

    @Override
    public String id() {
        return "sgd-nonconvex";
    }

    @Override
    public String formula() {
        return "min_k E||grad f(w_k)||^2 <= 2(f(w_0) - f^*)/(eta T) + beta eta sigma^2";
    }

    @Override
    public String claim() {
        return "for beta-smooth f >= f* and unbiased stochastic gradients with E||g - grad f||^2 <= sigma^2, SGD with "
                + "eta <= 1/beta has min_k E||grad f(w_k)||^2 <= (1/T) sum_k E||grad f(w_k)||^2 <= "
                + "2(f(w_0) - f*)/(eta T) + beta eta sigma^2 (bounded-gradient form E||g||^2 <= L^2: "
                + "(f(w_0) - f*)/(eta T) + beta eta L^2/2)";
    }

    @Override
    public String paper() {
        return "Ghadimi & Lan (2013), Stochastic first- and zeroth-order methods for nonconvex stochastic programming, "
                + "SIAM J. Optim., Thm 2.1; Bottou, Curtis & Nocedal (2018), Optimization methods for large-scale "
                + "machine learning, SIAM Review, Theorem 4.8 (constants re-derived in the javadoc)";
    }

    /** The bound 2(f0 − f*)/(ηT) + βησ². */
    public static double bound(double f0, double fStar, double eta, long t, double beta, double sigma2) {
        return 2 * (f0 - fStar) / (eta * t) + beta * eta * sigma2;
    }

    /** The bounded-second-moment form (f0 − f*)/(ηT) + βηL²/2 with E‖g‖² ≤ L². */
    public static double boundedGradientBound(double f0, double fStar, double eta, long t, double beta, double l2) {
        return (f0 - fStar) / (eta * t) + beta * eta * l2 / 2;
    }

    /** Per-sample gradient statistics at the net's weights: ‖∇L‖² and the minibatch variance for batch b. */
    record Moments(double fullGradSq, double variance, double loss) {
    }

    static Moments moments(org.overparam.nn.Model net, Matrix x, Matrix y, org.overparam.train.Loss loss, int b) {
        int n = x.rows();
        try (Matrix full = net.newParameterVector(); Matrix gi = net.newParameterVector();
                Matrix diff = net.newParameterVector()) {
            double value = Objective.lossAndGradient(net, x, y, loss, full);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                Objective.lossAndGradient(net, x.rowBlock(i, i + 1), y.rowBlock(i, i + 1), loss, gi);
                diff.copyFrom(gi);
                Vectors.axpy(-1.0, full, diff);
                sum += Vectors.dot(diff, diff);
            }
            return new Moments(Vectors.dot(full, full), sum / n / b, value);
        }
    }

    @Override
    public boolean generalNetworks() {
        return true;
    }

    @Override
    public CheckResult run(Setup s) {
        int n = s.n();
        int b = Math.min(batch, n);
        Map<String, Double> m = new LinkedHashMap<>();
        TreeSet<Long> sampleAt = new TreeSet<>();
        sampleAt.add(0L);
        for (int i = 1; i < samples; i++) {
            sampleAt.add(Math.round((double) i * (steps - 1) / Math.max(1, samples - 1)));
        }
        double[][] gradSq = new double[seeds][(int) steps];
        double[] sigma2 = {0};
        double[] l2 = {0};
        double[] minLoss = {Double.POSITIVE_INFINITY};
        List<Double> betas = new ArrayList<>();
        boolean diverged = false;
        double f0 = Objective.loss(s.net(), s.x(), s.y(), s.loss());
        for (int r = 0; r < seeds; r++) {
            final int run = r;
            TrainObserver obs = new TrainObserver() {
                void measure(long k, org.overparam.nn.Model net) {
                    if (k >= steps) {
                        return;
                    }
                    boolean sampled = sampleAt.contains(k);
                    Moments mo;
                    if (sampled) {
                        mo = moments(net, s.x(), s.y(), s.loss(), b);
                        sigma2[0] = Math.max(sigma2[0], mo.variance());
                        l2[0] = Math.max(l2[0], mo.fullGradSq() + mo.variance());
                        if (run == 0) {
                            betas.add(Smoothness.largestEigenvalue(net, s.x(), s.y(), s.loss()).beta());
                        }
                    } else {
                        try (Matrix g = net.newParameterVector()) {
                            double v = Objective.lossAndGradient(net, s.x(), s.y(), s.loss(), g);
                            mo = new Moments(Vectors.dot(g, g), Double.NaN, v);
                        }
                    }
                    gradSq[run][(int) k] = mo.fullGradSq();
                    minLoss[0] = Math.min(minLoss[0], mo.loss());
                }

                @Override
                public void onStart(org.overparam.nn.Model net, TrainSpec spec, long total) {
                    measure(0, net);
                }

                @Override
                public void onStep(StepRecord rec, org.overparam.nn.Model net) {
                    // after update k the net holds w_{k+1}
                    if (rec.step() < steps) {
                        measure(rec.step() + 1, net);
                    }
                }
            };
            TrainSpec spec = new TrainSpec(s.loss(), Optimizer.SGD, lr, Schedule.CONSTANT, 0.0, steps, b,
                    Sampling.REPLACEMENT, seed + r, (int) Math.min(steps, Integer.MAX_VALUE), 1e6);
            try (org.overparam.nn.Model copy = s.net().copy()) {
                new Trainer(copy, s.x(), s.y(), spec).observe(obs).run();
            } catch (DivergenceException e) {
                diverged = true;
            }
        }
        double beta = Double.NEGATIVE_INFINITY;
        for (double v : betas) {
            beta = Math.max(beta, v);
        }
        double[] avg = new double[seeds];
        double[] meanCurve = new double[(int) steps];
        for (int r = 0; r < seeds; r++) {
            double sum = 0;
            for (int k = 0; k < steps; k++) {
                sum += gradSq[r][k];
                meanCurve[k] += gradSq[r][k] / seeds;
            }
            avg[r] = sum / steps;
        }
        double mean = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double a : avg) {
            mean += a / seeds;
            lo = Math.min(lo, a);
            hi = Math.max(hi, a);
        }
        double var = 0;
        for (double a : avg) {
            var += (a - mean) * (a - mean);
        }
        double sd = seeds > 1 ? Math.sqrt(var / (seeds - 1)) : Double.NaN;
        double minK = Double.POSITIVE_INFINITY;
        for (double v : meanCurve) {
            minK = Math.min(minK, v);
        }
        double bnd = bound(f0, lStar, lr, steps, beta, sigma2[0]);
        double bndG = boundedGradientBound(f0, lStar, lr, steps, beta, l2[0]);
        m.put("n", (double) n);
        m.put("batch", (double) b);
        m.put("S_seeds", (double) seeds);
        m.put("T", (double) steps);
        m.put("eta", lr);
        m.put("eta_paper_over_n", lr / n);
        m.put("beta_hat", beta);
        m.put("beta_samples", (double) betas.size());
        m.put("eta_times_beta_hat", lr * beta);
        m.put("sigma2_hat", sigma2[0]);
        m.put("second_moment_L2_hat", l2[0]);
        m.put("f0", f0);
        m.put("f_star", lStar);
        m.put("min_loss_seen", minLoss[0]);
        m.put("avg_grad_sq_mean_over_seeds", mean);
        m.put("avg_grad_sq_sd_over_seeds", sd);
        m.put("avg_grad_sq_min_seed", lo);
        m.put("avg_grad_sq_max_seed", hi);
        m.put("min_k_mean_grad_sq", minK);
        m.put("bound", bnd);
        m.put("bound_optimization_term", 2 * (f0 - lStar) / (lr * steps));
        m.put("bound_noise_term", beta * lr * sigma2[0]);
        m.put("bounded_gradient_bound", bndG);
        m.put("diverged", diverged ? 1.0 : 0.0);
        String lStarText = lStarGiven ? "f* = " + lStar + " (given)" : "f* = 0 (assumed: interpolating model)";
        boolean etaOk = lr * beta <= 1 + 1e-9;
        boolean lStarOk = !(minLoss[0] < lStar - 1e-12 * Math.max(1, Math.abs(lStar)));
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(String.format("eta <= 1/beta_hat (eta*beta_hat = %.4g), "
                + "%s a lower bound, unbiased minibatch gradients (b = %d drawn with replacement)", lr * beta, lStarText,
                b), etaOk && lStarOk);
        CheckResult.Bound bound = new CheckResult.Bound(String.format("(1/T) sum_{k<T} E||grad L(w_k)||^2 <= 2(f0 - f*)/"
                + "(eta T) + beta eta sigma^2 = %.4g + %.4g (eta = %.4g on our L; paper form 1/2 sum = nL: eta/n = %.4g, "
                + "n beta, n^2 sigma^2, both sides x n^2); bounded-gradient form (f0 - f*)/(eta T) + beta eta L^2/2 = %.4g",
                2 * (f0 - lStar) / (lr * steps), beta * lr * sigma2[0], lr, lr / n, bndG), bnd);
        if (!hyp.met()) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED, !etaOk
                    ? String.format("step eta = %.4g exceeds 1/beta_hat = %.4g", lr, 1 / beta)
                    : String.format("the loss reached %.4g < f* = %.4g: f* is not a lower bound", minLoss[0], lStar));
        }
        String spread = String.format("mean over S = %d seeds %.4g (sd %.3g, range %.4g..%.4g)", seeds, mean, sd, lo, hi);
        if (!diverged && mean <= bnd) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.OBSERVED, String.format(
                    "(1/T) sum ||grad L||^2: %s <= bound %.4g (min_k %.4g); beta_hat, sigma^2 sampled", spread, bnd, minK));
        }
        // beta_hat and sigma^2 are sampled, the expectation estimated over a few seeds: a miss cannot decide
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED, (diverged ? "a run diverged; "
                : "") + String.format("(1/T) sum ||grad L||^2: %s vs bound %.4g; beta_hat and sigma^2 are sampled at %d "
                        + "iterates and the expectation over %d seeds, so the miss does not refute the theorem",
                spread, bnd, sampleAt.size(), seeds));
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new SgdNonConvex(s.lr(), s.steps(), s.batch(), 4, Double.NaN, 4, s.seed());
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new SgdNonConvex(0.01, 200, 2, 4, Double.NaN, 4, 7);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("two-layer tanh net, n=8, d=3, batch 2, 4 seeds, eta = 0.5/beta_hat",
                () -> PresetSetups.smallNet("tanh", 8, 3, 16, 501), s -> new SgdNonConvex(
                        0.5 / Smoothness.largestEigenvalue(s).beta(), 100, 2, 4, Double.NaN, 4, 7)),
                new Preset("same net, eta = 3/beta_hat (hypothesis not met)", () -> PresetSetups.smallNet("tanh", 8, 3, 16, 501),
                        s -> new SgdNonConvex(3 / Smoothness.largestEigenvalue(s).beta(), 20, 2, 2, Double.NaN, 2, 7)));
    }
}
