package org.overparam.theory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.kernel.Jacobian;
import org.overparam.kernel.LectureLimits;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Rank;
import org.overparam.nn.Activation;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Check 6 — training only the last layer is a convex (linear least-squares) problem.
 *
 * <p>Source: the lecture (random features: with the hidden layers frozen, h = s_L·Qᵀv + β_L·b is linear in
 * the trained (v, b), so L is a convex quadratic). Q = [σ(Wx_1) … σ(Wx_n)] ∈ ℝ^{k×n} (k the last hidden width);
 * the design matrix is A = [s_L·Qᵀ, β_L·1] (n × (k+1) with a bias, the Jacobian over the last layer). Zero
 * loss is attainable for every label vector iff rank A = n, which needs k ≥ n (k + 1 with a bias).
 *
 * <p>Measured: rank Q (=rank of the n × k features), rank A (rule and tolerance of {@link Rank#of}), the exact
 * optimum L* = (1/(2n))‖Aθ* − y‖² with θ* from {@link Lapack#leastSquares} (QR; minimum-norm LQ when k ≥ n —
 * LAPACK dgels assumes full rank), and full-batch GD on the last layer only (a copy of the net with
 * {@code TrainableLayers.LAST}) for T steps with η = factor·2n/λmax(AAᵀ). For our mse L = (1/(2n))‖Aθ − y‖²
 * the residual obeys r_{t+1} = (I − (η/n)AAᵀ) r_t — GD with step η_eff = η/n on the sum ½‖Aθ − y‖² — so with
 * c = max over the nonzero eigenvalues λ of AAᵀ of |1 − ηλ/n|, L_T − L* ≤ c^{2T}(L_0 − L*) (exact algebra,
 * a miss beyond 1e-12·L_0 is {@code violated}), and rank A = n forces L* = 0 (again algebra). For one hidden
 * layer with Gaussian first-layer weights (ntk or du2019) the empirical kernel QᵀQ/k is compared with its
 * limit K^∞ = E_w[σ(wᵀx̃_i)σ(wᵀx̃_j)], w ~ N(0, I), x̃ = [s_0·x, β_0] the effective input (s_0 = 1 under
 * du2019, σ_w/√d under ntk; β_0 = σ_b, absent without biases) by {@link LectureLimits#randomFeatures}, which
 * uses raw inner products, no 1/d — the 1/d of the ntk parameterization lives in s_0. Its relative Frobenius
 * distance falls like 1/√k ({@link #kernelConvergence}).
 *
 * <p>Hypothesis (for "zero loss for every y"): mse, one output, k ≥ n. With k &lt; n the check reports
 * {@code hypothesis not met} (rank Q ≤ k &lt; n) with all measurements.
 */
public final class LastLayerConvex implements TheoremCheck {
    private final double factor;
    private final long steps;

    /** One point of the kernel convergence: width k and mean ‖QᵀQ/k − K^∞‖_F/‖K^∞‖_F over seeds. */
    public record KernelPoint(int width, double relativeDistance) {
    }

    /**
     * @param factor GD on the last layer with η = factor·2n/λmax(AAᵀ) (factor &lt; 1 converges)
     * @param steps  number of GD steps T
     */
    public LastLayerConvex(double factor, long steps) {
        if (!(factor > 0 && factor < 1) || steps < 1) {
            throw new IllegalArgumentException("need 0 < factor < 1 and steps >= 1");
        }
        this.factor = factor;
        this.steps = steps;
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p("lr_over_2n_over_lambda_max", factor, "steps", steps);
    }

    @Override
    public String id() {
        return "last-layer-convex";
    }

    @Override
    public String formula() {
        return "min_a ||Q a - y||^2 = 0 \"for every\" y \"iff\" rank Q = n";
    }

    @Override
    public String claim() {
        return "training only the last layer is linear least squares: zero loss for every label vector iff "
                + "rank Q = n (needs width k >= n); GD on the last layer converges to the least-squares optimum; "
                + "Q^T Q/k -> K_inf as k grows";
    }

    @Override
    public String paper() {
        return "lecture: random features / training the last layer only is convex; limit kernel "
                + "K_inf = E_w[sigma(w^T x_i) sigma(w^T x_j)] (Rahimi & Recht 2007)";
    }

    @Override
    public CheckResult run(Setup s) {
        Network net = s.dense();
        int n = s.n();
        int last = net.layers() - 1;
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = "L_T - L* <= c^(2T) (L_0 - L*), c = max_{lambda>0} |1 - eta lambda/n| (eta_eff = eta/n on "
                + "the sum 1/2||A theta - y||^2); L* = 0 when rank A = n";
        if (s.loss() != Loss.MSE || s.k() != 1 || last < 1) {
            return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis(
                    "mse, one output, at least one hidden layer", false), m, new CheckResult.Bound(boundText, Double.NaN),
                    Conclusion.UNDECIDED, "least squares in the last layer needs the square loss, one output and "
                            + "a hidden layer");
        }
        int width = net.widths()[last];
        BitSet lastSet = Layers.range(last, last + 1);
        Rank.Result qRank;
        Rank.Result aRank;
        double lStar;
        double l0;
        double[] ev;
        double kernelDistance;
        try (Matrix a = Jacobian.compute(net, s.x(), lastSet); Matrix h = Layers.activations(net, s.x(), last - 1)) {
            qRank = Rank.of(h, 0);
            aRank = Rank.of(a, 0);
            try (Matrix theta = Lapack.leastSquares(a, s.y()); Matrix fit = Blas.multiply(a, theta)) {
                lStar = Loss.MSE.value(fit, s.y());
            }
            try (Matrix k = Blas.multiply(a, false, a, true)) {
                ev = Lapack.symmetricEigenvalues(k);
            }
            kernelDistance = last == 1 ? kernelDistance(net, s.x(), h) : Double.NaN;
        }
        l0 = Objective.loss(net, s.x(), s.y(), Loss.MSE);
        double lmax = ev[ev.length - 1];
        double eta = factor * 2.0 * n / lmax;
        double rangeTol = ev.length * Math.ulp(1.0) * lmax;
        double c = 0;
        double lminPositive = Double.NaN;
        for (double l : ev) {
            if (l > rangeTol) {
                c = Math.max(c, Math.abs(1 - eta * l / n));
                lminPositive = Double.isNaN(lminPositive) ? l : Math.min(lminPositive, l);
            }
        }
        double lT;
        try (Network copy = net.copyWithTrainable(lastSet)) {
            new Trainer(copy, s.x(), s.y(), TrainSpec.gd(Loss.MSE, eta, steps, 0)).run();
            lT = Objective.loss(copy, s.x(), s.y(), Loss.MSE);
        }
        double yScale;
        try (Matrix zero = Matrix.zeros(n, 1)) {
            yScale = Loss.MSE.value(zero, s.y()); // L at theta = 0: (1/(2n))||y||^2
        }
        double gapBound = Math.pow(c, 2.0 * steps) * (l0 - lStar);
        double tol = 1e-12 * Math.max(l0, yScale);
        boolean gdOk = lT - lStar <= gapBound + tol;
        boolean zeroOk = aRank.rank() < n || lStar <= tol;
        m.put("n", (double) n);
        m.put("width_k", (double) width);
        m.put("rank_Q", (double) qRank.rank());
        m.put("rank_A", (double) aRank.rank());
        m.put("rank_A_tolerance", aRank.tolerance());
        m.put("least_squares_loss", lStar);
        m.put("loss_0", l0);
        m.put("loss_T", lT);
        m.put("gap_T", lT - lStar);
        m.put("gap_bound", gapBound);
        m.put("eta", eta);
        m.put("eta_eff_sum_loss", eta / n);
        m.put("lambda_max_AAt", lmax);
        m.put("lambda_min_positive_AAt", lminPositive);
        m.put("contraction", c);
        m.put("kernel_relative_distance", kernelDistance);
        boolean met = width >= n;
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(String.format(
                "mse, one output, last hidden width k = %d >= n = %d (zero loss for every y needs rank Q = n)", width, n),
                met);
        CheckResult.Bound bound = new CheckResult.Bound(boundText + "; " + aRank.describe(), gapBound);
        Conclusion v;
        String why;
        if (!gdOk || !zeroOk) {
            v = Conclusion.NOT_OBSERVED;
            why = !gdOk ? String.format("BUG: GD gap L_T - L* = %.6g above c^(2T)(L_0 - L*) = %.6g", lT - lStar, gapBound)
                    : String.format("BUG: rank A = n = %d but the least-squares loss is %.6g", n, lStar);
        } else if (!met) {
            v = aRank.rank() == n ? Conclusion.OBSERVED : Conclusion.NOT_OBSERVED; // interpolation seen anyway?
            why = String.format("k = %d < n = %d: rank Q = %d < n, zero loss is not guaranteed for every y (here "
                    + "L* = %.4g; GD reached L_T = %.4g)", width, n, qRank.rank(), lStar, lT);
        } else {
            v = Conclusion.OBSERVED;
            why = String.format("rank Q = %d, rank A = %d, L* = %.3g%s; GD on the last layer: L_T - L* = %.3g <= "
                    + "%.3g (L_0 = %.4g)", qRank.rank(), aRank.rank(), lStar,
                    aRank.rank() == n ? " (= 0: interpolation)" : " (rank deficient: no guarantee)", lT - lStar,
                    gapBound, l0);
        }
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, v, why);
    }

    /**
     * ‖HHᵀ/k − K^∞‖_F/‖K^∞‖_F for the first hidden layer's features H (n × k) of a one-hidden-layer net with
     * N(0,1) first-layer weights (ntk or du2019); NaN for the standard (uniform) parameterization.
     */
    static double kernelDistance(Network net, Matrix x, Matrix h) {
        Parameterization p = net.spec().parameterization();
        if (p != Parameterization.NTK && p != Parameterization.DU2019) {
            return Double.NaN;
        }
        boolean bias = net.bias(0) != null && net.biasScale(0) != 0;
        double s0 = net.weightScale(0);
        int d = x.cols();
        try (Matrix xt = Matrix.zeros(x.rows(), d + (bias ? 1 : 0))) {
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < d; j++) {
                    xt.set(i, j, s0 * x.get(i, j));
                }
                if (bias) {
                    xt.set(i, d, net.biasScale(0));
                }
            }
            try (Matrix kInf = LectureLimits.randomFeatures(xt, net.activation(0));
                    Matrix kEmp = Blas.multiply(h, false, h, true)) {
                double width = h.cols();
                double diff = 0;
                for (long k = 0; k < kInf.size(); k++) {
                    double e = kEmp.at(k) / width - kInf.at(k);
                    diff += e * e;
                }
                return Math.sqrt(diff) / kInf.frobenius();
            }
        }
    }

    /**
     * The convergence of QᵀQ/k to K^∞ with the width: for each k, du2019 nets d → k → 1 with activation
     * {@code act} (w_r ~ N(0, I), first-layer scale 1), the relative Frobenius distance averaged over
     * {@code seeds} initializations. Expected to fall like 1/√k.
     */
    public static List<KernelPoint> kernelConvergence(Matrix x, Activation act, int[] widths, int seeds) {
        List<KernelPoint> out = new ArrayList<>();
        for (int k : widths) {
            double sum = 0;
            for (int seed = 0; seed < seeds; seed++) {
                try (Network net = Network.initialize(NetworkSpec.du2019(x.cols(), k, act), 1000L * k + seed);
                        Matrix h = Layers.activations(net, x, 0)) {
                    sum += kernelDistance(net, x, h);
                }
            }
            out.add(new KernelPoint(k, sum / seeds));
        }
        return out;
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new LastLayerConvex(0.5, s.steps());
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new LastLayerConvex(0.5, 3000);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("random features, du2019 relu, n=20, d=5, width 64, last layer trained",
                () -> PresetSetups.lastLayerOnly(20, 5, 64, 301)),
                new Preset("random features of width 8 < n = 20 (hypothesis not met)",
                        () -> PresetSetups.lastLayerOnly(20, 5, 8, 311)));
    }
}
