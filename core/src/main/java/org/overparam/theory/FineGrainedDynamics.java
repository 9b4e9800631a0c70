package org.overparam.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.overparam.kernel.LectureLimits;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.SymmetricEigen;
import org.overparam.nn.Network;
import org.overparam.train.DivergenceException;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Check 8 — the fine-grained dynamics of GD on a wide two-layer ReLU net and the label complexity y^T(H^∞)⁻¹y.
 *
 * <p>Paper: Arora, Du, Hu, Li &amp; Wang, <i>Fine-grained analysis of optimization and generalization for
 * overparameterized two-layer neural networks</i>, ICML 2019. Theorem 4.1: in Du et al.'s setting (f(x) =
 * (1/√m)Σ a_r relu(w_rᵀx), a fixed, ||x_i|| = 1, λ0 = λmin(H^∞) &gt; 0), with small initialization (their κ, so
 * u(0) ≈ 0), m large and η = O(λ0/n²) on Φ = ½||u − y||², w.p. 1 − δ for all k:
 * ||y − u(k)|| = √(Σ_i (1 − ηλ_i)^{2k}(v_iᵀy)²) ± ε, (λ_i, v_i) the eigenpairs of H^∞. Components of y along
 * large-eigenvalue directions are fitted fast. Theorem 5.1 / Corollary 5.2: the population loss of the trained
 * net is at most √(2yᵀ(H^∞)⁻¹y/n) + O(√(log(n/(λ0δ))/n)); Section 5/6: yᵀ(H^∞)⁻¹y is much larger for random
 * labels than for true (structured) labels.
 *
 * <p>Normalization: our L = (1/(2n))||u − y||² = Φ/n, so our step η is their η_eff = η/n, and ||y − u(k)||² = 2n·L_k.
 * The prediction used is the linear dynamics of the residual, ||y − u(k)||² = Σ_i (1 − η_eff λ_i)^{2k}(v_iᵀ(y −
 * u(0)))², which is exact for u(k+1) − u(k) = −η_eff H^∞(u(k) − y) and reduces to theirs when u(0) = 0; the
 * du2019 net is initialized at unit scale, so ||u(0)||/||y|| is reported (with the deviation of their y-only form).
 *
 * <p>Measured: GD on a copy for T steps; dev = max_k |||y − u(k)|| − √pred_k| / ||y − u(0)|| (their additive ε,
 * relative to the initial residual); yᵀ(H^∞)⁻¹y for y and, averaged over random permutations of y (same
 * values, structure destroyed), for random labels; √(2yᵀ(H^∞)⁻¹y/n) for both. Hypothesis: their setting (as
 * {@link LazyTraining}); outside it, {@code hypothesis not met}. Verdict: {@code holds} when dev ≤ tolerance;
 * otherwise {@code inconclusive} (finite width: the theorem needs m = Ω(n⁷/(λ0⁴κ²δ⁴ε²)), constants unstated).
 * The label comparison is reported in the measured map and the one-line reason, not in the verdict.
 */
public final class FineGrainedDynamics implements TheoremCheck {
    private final double lr;
    private final long steps;
    private final double tolerance;
    private final int permutations;
    private final long seed;

    /**
     * @param lr           our GD step η (η_eff = η/n)
     * @param steps        T
     * @param tolerance    largest dev accepted as {@code holds} (e.g. 0.05)
     * @param permutations random label permutations averaged for yᵀ(H^∞)⁻¹y of random labels
     * @param seed         seed of the permutations
     */
    public FineGrainedDynamics(double lr, long steps, double tolerance, int permutations, long seed) {
        if (!(lr > 0) || steps < 1 || !(tolerance > 0) || permutations < 1) {
            throw new IllegalArgumentException("need lr > 0, steps >= 1, tolerance > 0, permutations >= 1");
        }
        this.lr = lr;
        this.steps = steps;
        this.tolerance = tolerance;
        this.permutations = permutations;
        this.seed = seed;
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p("lr", lr, "steps", steps, "tolerance", tolerance, "label_permutations", permutations, "seed", seed);
    }

    @Override
    public String id() {
        return "fine-grained";
    }

    @Override
    public String formula() {
        return "||y - u(k)||^2 = sum_i (1 - eta lambda_i/n)^{2k} (v_i^T (y - u(0)))^2 +- epsilon";
    }

    @Override
    public String claim() {
        return "wide two-layer relu net in Du et al.'s setting: ||y - u(k)||^2 = sum_i (1 - eta_eff lambda_i)^{2k} "
                + "(v_i^T (y - u(0)))^2 +- eps with (lambda_i, v_i) the eigenpairs of H^inf, eta_eff = eta/n for our "
                + "1/(2n) mse; y^T (H^inf)^-1 y is larger for random labels; test error <= sqrt(2 y^T (H^inf)^-1 y / n)";
    }

    @Override
    public String paper() {
        return "Arora, Du, Hu, Li & Wang (2019), Fine-grained analysis of optimization and generalization for "
                + "overparameterized two-layer neural networks, ICML, Theorem 4.1 (dynamics), Theorem 5.1 / Cor 5.2 "
                + "(generalization), Section 6 (true vs random labels)";
    }

    /** yᵀ(H^∞)⁻¹y = Σ_i (v_iᵀy)²/λ_i from an eigendecomposition. */
    public static double inverseQuadratic(SymmetricEigen e, double[] y) {
        double[] p = project(e, y);
        double q = 0;
        for (int i = 0; i < p.length; i++) {
            q += p[i] * p[i] / e.values()[i];
        }
        return q;
    }

    /** v_iᵀr for every eigenvector. */
    public static double[] project(SymmetricEigen e, double[] r) {
        int n = r.length;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int j = 0; j < n; j++) {
                d += e.vectors().get(j, i) * r[j];
            }
            p[i] = d;
        }
        return p;
    }

    /** Σ_i (1 − η_eff λ_i)^{2k} p_i². */
    public static double predicted(double[] lambda, double[] p, double etaEff, long k) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += Math.pow(1 - etaEff * lambda[i], 2 * k) * p[i] * p[i];
        }
        return s;
    }

    @Override
    public CheckResult run(Setup s) {
        int n = s.n();
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = "max_k |||y - u(k)|| - sqrt(sum_i (1 - eta_eff lambda_i)^{2k} (v_i^T(y - u(0)))^2)| / "
                + "||y - u(0)|| <= tolerance, eta_eff = eta/n";
        String setting = LazyTraining.setting(s);
        if (setting != null) {
            return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis("Du et al.'s setting: " + setting,
                    false), m, new CheckResult.Bound(boundText, tolerance), Conclusion.UNDECIDED,
                    "outside the theorem's setting: " + setting);
        }
        double etaEff = lr / n;
        double[] y = new double[n];
        double[] r0 = new double[n];
        double u0sq = 0;
        double ysq = 0;
        try (Matrix u0 = s.dense().predict(s.x())) {
            for (int i = 0; i < n; i++) {
                y[i] = s.y().get(i, 0);
                r0[i] = y[i] - u0.get(i, 0);
                u0sq += u0.get(i, 0) * u0.get(i, 0);
                ysq += y[i] * y[i];
            }
        }
        double lambda0;
        double lambdaMax;
        double qTrue;
        double qRandom = 0;
        double[] residualSq = new double[(int) steps + 1];
        double[] predRes;
        double[] predY;
        boolean diverged = false;
        List<Double> losses = new ArrayList<>();
        try (Matrix h = LectureLimits.hInfinity(s.x())) {
            SymmetricEigen e = Lapack.symmetricEigen(h);
            try (Matrix v = e.vectors()) {
                double[] lam = e.values();
                lambda0 = lam[0];
                lambdaMax = lam[n - 1];
                double[] pRes = project(e, r0);
                double[] pY = project(e, y);
                predRes = new double[(int) steps + 1];
                predY = new double[(int) steps + 1];
                for (int k = 0; k <= steps; k++) {
                    predRes[k] = predicted(lam, pRes, etaEff, k);
                    predY[k] = predicted(lam, pY, etaEff, k);
                }
                qTrue = inverseQuadratic(e, y);
                SplittableRandom rng = new SplittableRandom(seed);
                for (int t = 0; t < permutations; t++) {
                    double[] perm = y.clone();
                    for (int i = n - 1; i > 0; i--) {
                        int j = rng.nextInt(i + 1);
                        double tmp = perm[i];
                        perm[i] = perm[j];
                        perm[j] = tmp;
                    }
                    qRandom += inverseQuadratic(e, perm) / permutations;
                }
            }
        }
        try (Network copy = s.dense().copy()) {
            new Trainer(copy, s.x(), s.y(), TrainSpec.gd(Loss.MSE, lr, steps, 0)).observe((r, w) -> losses.add(r.loss()))
                    .run();
        } catch (DivergenceException ex) {
            diverged = true;
        }
        double res0 = Math.sqrt(predRes[0]);
        double dev = 0;
        double devY = 0;
        long argDev = 0;
        for (int k = 0; k < losses.size(); k++) {
            residualSq[k] = 2.0 * n * losses.get(k);
            double d = Math.abs(Math.sqrt(residualSq[k]) - Math.sqrt(predRes[k])) / res0;
            if (d > dev) {
                dev = d;
                argDev = k;
            }
            devY = Math.max(devY, Math.abs(Math.sqrt(residualSq[k]) - Math.sqrt(predY[k])) / res0);
        }
        int last = losses.size() - 1;
        m.put("n", (double) n);
        m.put("m", (double) s.dense().widths()[1]);
        m.put("eta", lr);
        m.put("eta_eff", etaEff);
        m.put("lambda0", lambda0);
        m.put("lambda_max", lambdaMax);
        m.put("eta_eff_lambda_max", etaEff * lambdaMax);
        m.put("eta_eff_over_lambda0_div_n2", etaEff / (lambda0 / ((double) n * n)));
        m.put("u0_over_y", Math.sqrt(u0sq / ysq));
        m.put("residual_sq_0", residualSq[0]);
        m.put("residual_sq_T_measured", residualSq[last]);
        m.put("residual_sq_T_predicted", predRes[last]);
        m.put("max_relative_deviation", dev);
        m.put("max_relative_deviation_step", (double) argDev);
        m.put("max_relative_deviation_y_only_form", devY);
        m.put("yT_Hinv_y_true", qTrue);
        m.put("yT_Hinv_y_random_mean", qRandom);
        m.put("random_over_true", qRandom / qTrue);
        m.put("generalization_bound_true", Math.sqrt(2 * qTrue / n));
        m.put("generalization_bound_random", Math.sqrt(2 * qRandom / n));
        m.put("diverged", diverged ? 1.0 : 0.0);
        // Their width, m = Omega(n^7/(lambda0^4 kappa^2 delta^4 eps^2)), has unstated constants: it cannot be
        // evaluated, so the hypothesis is not met for any finite m (issue 13); the conclusion is still measured.
        double predictedLast = Math.sqrt(predRes[last]) / res0;
        m.put("predicted_relative_residual_T", predictedLast);
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(String.format("Du et al.'s setting (du2019, relu, first "
                + "layer trained, no bias, ||x_i|| = 1, mse): met; ||u(0)||/||y|| = %.3g (theirs assumes ~0: the residual "
                + "form is used); eta_eff = eta/n = %.4g vs lambda0/n^2 = %.4g; width m = %d vs m = Omega(n^7/(lambda0^4 "
                + "kappa^2 delta^4 eps^2)): constants unstated, not evaluable", Math.sqrt(u0sq / ysq), etaEff,
                lambda0 / ((double) n * n), s.dense().widths()[1]), false);
        CheckResult.Bound bound = new CheckResult.Bound(boundText, tolerance);
        String labels = String.format("y^T(H^inf)^-1 y = %.4g (true) vs %.4g (random permutations, x%.3g); "
                + "sqrt(2 y^T H^-1 y/n) = %.3g vs %.3g", qTrue, qRandom, qRandom / qTrue, Math.sqrt(2 * qTrue / n),
                Math.sqrt(2 * qRandom / n));
        String horizon = String.format("over T = %d steps (predicted residual at T: %.3g of the initial)", last,
                predictedLast);
        if (diverged || dev > tolerance) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.NOT_OBSERVED, String.format(
                    "%sdeviation %.3g > %.3g at k = %d %s; m = %d; %s", diverged ? "the run diverged; " : "", dev,
                    tolerance, argDev, horizon, s.dense().widths()[1], labels));
        }
        if (predictedLast > tolerance) {
            // the prediction has not yet fallen below the tolerance it is compared with: any run whose residual
            // stays near its start would pass, so this horizon cannot tell
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED, String.format(
                    "deviation %.3g <= %.3g, but the horizon is too short to decide: the predicted residual is still "
                            + "%.3g > %.3g of the initial at T = %d; train longer (--steps); %s", dev, tolerance,
                    predictedLast, tolerance, last, labels));
        }
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.OBSERVED, String.format(
                "measured ||y - u(k)|| within %.3g of the H^inf prediction (relative to ||y - u(0)||, worst at k = %d) "
                        + "<= %.3g %s; %s", dev, argDev, tolerance, horizon, labels));
    }

    /**
     * The measured GD loss with Arora et al.'s prediction drawn over it (2019, Thm 4.1): ||y − u(k)||² =
     * Σ_i (1 − η_eff λ_i)^{2k} (v_iᵀ(y − u(0)))², (λ_i, v_i) the eigenpairs of H^∞, η_eff = η/n; as our mse, /(2n).
     */
    @Override
    public java.util.List<Figure> figures(CheckResult r, Setup s) {
        if (!r.measured().containsKey("eta")) { // drawn whenever measured: the conclusion is seen or not, met or not
            return java.util.List.of();
        }
        double eta = r.get("eta");
        int n = s.n();
        double[][] kl = Figure.gdLoss(s, eta, steps);
        double[] predicted = new double[kl[0].length];
        double etaEff = eta / n;
        try (org.overparam.linalg.Matrix u0 = s.dense().predict(s.x());
                org.overparam.linalg.Matrix h = org.overparam.kernel.LectureLimits.hInfinity(s.x())) {
            var eig = org.overparam.linalg.Lapack.symmetricEigen(h);
            double[] proj = new double[n];
            for (int i = 0; i < n; i++) {
                double p = 0;
                for (int j = 0; j < n; j++) {
                    p += eig.vectors().get(j, i) * (s.y().get(j, 0) - u0.get(j, 0));
                }
                proj[i] = p * p;
            }
            for (int t = 0; t < predicted.length; t++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += Math.pow(1 - etaEff * eig.values()[i], 2.0 * t) * proj[i];
                }
                predicted[t] = sum / (2.0 * n);
            }
            eig.vectors().close();
        }
        return java.util.List.of(Figure.builder("Loss against the theory", "step k", "loss").logY()
                .series("GD (measured)", kl[0], kl[1])
                .prediction("predicted from H^inf's eigenpairs (Arora et al.)", kl[0], predicted).build());
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new FineGrainedDynamics(s.lr(), s.steps(), 0.05, 50, s.seed());
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new FineGrainedDynamics(2.4, 200, 0.05, 50, 804);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("Du et al. setting, n=8, d=5, width 1024, labels x_1 + x_2, eta_eff = 0.3",
                () -> PresetSetups.duStructured(8, 5, 1024, 803)),
                new Preset("ntk-parameterized net (outside their setting)", () -> PresetSetups.wideNtk("relu", 8, 5, 256, 805)));
    }
}
