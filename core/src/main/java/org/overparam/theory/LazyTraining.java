package org.overparam.theory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.LectureLimits;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.Parameterization;
import org.overparam.train.DivergenceException;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Check 7 — lazy training of a wide two-layer ReLU net (the weights barely move, the patterns barely flip, the
 * Gram stays near H^∞ and the loss falls linearly).
 *
 * <p>Paper: Du, Zhai, Póczos &amp; Singh, <i>Gradient descent provably optimizes over-parameterized neural
 * networks</i>, ICLR 2019, Theorem 3.1 (gradient flow) and Theorem 4.1 (GD): for f(x) = (1/√m) Σ_r a_r
 * relu(w_rᵀx), a_r ∈ {±1} fixed, w_r(0) ~ N(0, I), ‖x_i‖ = 1, λ0 = λmin(H^∞) &gt; 0, m = Ω(n⁶/(λ0⁴δ³)) and step
 * η_Du = O(λ0/n²), with probability 1 − δ: ‖u(k) − y‖² ≤ (1 − η_Du λ0/2)^k ‖u(0) − y‖², and along the way
 * ‖w_r(k) − w_r(0)‖ ≤ R' = 4√n‖y − u(0)‖/(√m λ0) (proof of Thm 4.1), λmin(H(k)) ≥ λ0/2 and ‖H(k) − H(0)‖_2 &lt;
 * λ0/4 (Lemma 3.2, once every w_r is within R of its start).
 *
 * <p>Normalization: their loss is Φ = ½‖u − y‖², ours L = (1/(2n))‖u − y‖² = Φ/n, so ∇L = ∇Φ/n and our step
 * w ← w − η∇L is their GD with η_Du = η_eff = η/n. The loss ratio L_T/L_0 equals their ‖u(T) − y‖²/‖u(0) − y‖²,
 * so the predicted bound is L_T/L_0 ≤ (1 − (η/n)λ0/2)^T; ‖y − u(0)‖ = √(2n·L_0).
 *
 * <p>Hypothesis: their setting only — the du2019 parameterization ({@code NetworkSpec.du2019}: no bias, a fixed),
 * relu, first layer trained only, one output, mse, unit-norm inputs. Anything else (standard parameterization,
 * biases, non-unit inputs) is {@code hypothesis not met}. Measured on a copy trained T steps with our η: max_r
 * ‖w_r(T) − w_r(0)‖, the fraction of the m·n patterns 1{w_rᵀx_i ≥ 0} that flipped (and the fraction of (r, i)
 * with |w_r(0)ᵀx_i| ≤ max‖Δw_r‖, which must contain every flip: a miss is {@code violated}), ‖G(T) − G(0)‖_F /
 * ‖G(0)‖_F and ‖G(T) − G(0)‖_2 for G = the empirical NTK over the first layer (exactly their H(k)), λmin(G(T)),
 * λ0 = {@link LectureLimits#lambda0} and the loss ratio. Verdict: {@code holds} if R ≤ R', λmin(G(T)) ≥ λ0/2,
 * ‖ΔG‖_2 ≤ λ0/4 and the loss ratio meets the rate; a miss is {@code inconclusive} (the theorem needs m ≥
 * poly(n)/λ0⁴ with unstated constants and holds with probability 1 − δ; the value n⁶/(λ0⁴δ³) at δ = 0.1 is
 * printed).
 */
public final class LazyTraining implements TheoremCheck {
    /** The δ used to print the width requirement n⁶/(λ0⁴δ³). */
    public static final double DELTA = 0.1;

    private final double lr;
    private final long steps;

    /**
     * @param lr    our step η on L = (1/(2n))‖u − y‖² (their step is η/n)
     * @param steps number of GD steps T
     */
    public LazyTraining(double lr, long steps) {
        if (!(lr > 0) || steps < 1) {
            throw new IllegalArgumentException("need lr > 0 and steps >= 1");
        }
        this.lr = lr;
        this.steps = steps;
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p("lr", lr, "steps", steps);
    }

    @Override
    public String id() {
        return "lazy-training";
    }

    @Override
    public String formula() {
        return "||w_r(k) - w_r(0)|| <= 4 sqrt{n} ||y - u(0)||/(sqrt{m} lambda_0),   lambda_min(H(k)) >= lambda_0/2";
    }

    @Override
    public String claim() {
        return "two-layer relu net (1/sqrt m) sum a_r relu(w_r^T x), a fixed, ||x_i|| = 1, m large: GD keeps every w_r "
                + "within R' = 4 sqrt(n)||y - u(0)||/(sqrt(m) lambda0), lambda_min(H(k)) >= lambda0/2 and the loss "
                + "falls as (1 - eta_eff lambda0/2)^k, eta_eff = eta/n for our 1/(2n) mse";
    }

    @Override
    public String paper() {
        return "Du, Zhai, Poczos & Singh (2019), Gradient descent provably optimizes over-parameterized neural networks, "
                + "ICLR, Theorem 3.1 / Theorem 4.1, Lemma 3.2 (||H - H(0)||_2 < lambda0/4 within radius R)";
    }

    @Override
    public CheckResult run(Setup s) {
        Network net = s.dense();
        int n = s.n();
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = "R <= R' = 4 sqrt(n) ||y - u(0)||/(sqrt(m) lambda0); lambda_min(G(T)) >= lambda0/2; "
                + "||G(T) - G(0)||_2 <= lambda0/4; L_T/L_0 <= (1 - eta_eff lambda0/2)^T with eta_eff = eta/n "
                + "(their 1/2||u - y||^2 = n L)";
        String setting = setting(s);
        if (setting != null) {
            return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis("Du et al.'s setting: " + setting,
                    false), m, new CheckResult.Bound(boundText, Double.NaN), Conclusion.UNDECIDED,
                    "outside the theorem's setting: " + setting);
        }
        int width = net.widths()[1];
        BitSet first = Layers.range(0, 1);
        double lambda0 = LectureLimits.lambda0(s.x());
        double l0 = Objective.loss(net, s.x(), s.y(), Loss.MSE);
        double residual0 = Math.sqrt(2.0 * n * l0);
        double etaEff = lr / n;
        double rPrime = 4 * Math.sqrt(n) * residual0 / (Math.sqrt(width) * lambda0);
        double rate = Math.pow(1 - etaEff * lambda0 / 2, steps);
        List<Double> losses = new ArrayList<>();
        boolean diverged = false;
        double maxMove = 0;
        long flips = 0;
        long nearBoundary = 0;
        double gFrob;
        double dgFrob;
        double dgSpectral;
        double lminG0;
        double lminGT;
        try (Network copy = net.copy(); Matrix z0 = Layers.preActivations(net, s.x(), 0);
                Matrix g0 = EmpiricalNtk.compute(net, s.x(), first, OutputMode.FULL)) {
            try {
                new Trainer(copy, s.x(), s.y(), TrainSpec.gd(Loss.MSE, lr, steps, 0))
                        .observe((r, w) -> losses.add(r.loss())).run();
            } catch (DivergenceException e) {
                diverged = true;
                losses.add(e.loss());
            }
            Matrix w0 = net.weight(0);
            Matrix wT = copy.weight(0);
            int d = w0.cols();
            for (int r = 0; r < width; r++) {
                double sq = 0;
                for (int j = 0; j < d; j++) {
                    double e = wT.get(r, j) - w0.get(r, j);
                    sq += e * e;
                }
                maxMove = Math.max(maxMove, Math.sqrt(sq));
            }
            try (Matrix zT = Layers.preActivations(copy, s.x(), 0);
                    Matrix gT = EmpiricalNtk.compute(copy, s.x(), first, OutputMode.FULL)) {
                for (int k = 0; k < z0.size(); k++) {
                    boolean flipped = (z0.at(k) >= 0) != (zT.at(k) >= 0);
                    flips += flipped ? 1 : 0;
                    nearBoundary += Math.abs(z0.at(k)) <= maxMove ? 1 : 0;
                }
                lminG0 = LectureLimits.smallestEigenvalue(g0);
                lminGT = LectureLimits.smallestEigenvalue(gT);
                gFrob = g0.frobenius();
                try (Matrix dg = gT.copy()) {
                    for (long k = 0; k < dg.size(); k++) {
                        dg.setAt(k, dg.at(k) - g0.at(k));
                    }
                    dgFrob = dg.frobenius();
                    double[] ev = Lapack.symmetricEigenvalues(dg);
                    dgSpectral = Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
                }
            }
        }
        double lT = losses.get(losses.size() - 1);
        double total = (double) width * n;
        double mRequired = Math.pow(n, 6) / (Math.pow(lambda0, 4) * Math.pow(DELTA, 3));
        m.put("n", (double) n);
        m.put("m", (double) width);
        m.put("lambda0", lambda0);
        m.put("eta", lr);
        m.put("eta_eff", etaEff);
        m.put("eta_eff_over_lambda0_div_n2", etaEff / (lambda0 / ((double) n * n)));
        m.put("m_required_n6_over_lambda0_4_delta3", mRequired);
        m.put("max_weight_movement", maxMove);
        m.put("R_prime", rPrime);
        m.put("flipped_fraction", flips / total);
        m.put("near_boundary_fraction", nearBoundary / total);
        m.put("expected_flip_bound_2Rp_over_sqrt_2pi", 2 * rPrime / Math.sqrt(2 * Math.PI));
        m.put("gram_relative_change_F", dgFrob / gFrob);
        m.put("gram_change_2", dgSpectral);
        m.put("lambda_min_G0", lminG0);
        m.put("lambda_min_GT", lminGT);
        m.put("loss_0", l0);
        m.put("loss_T", lT);
        m.put("loss_ratio", lT / l0);
        m.put("predicted_rate", rate);
        m.put("diverged", diverged ? 1.0 : 0.0);
        // the width requirement m = Omega(n^6/(lambda0^4 delta^3)) has unstated constants: not evaluable, so the
        // hypothesis is not met at any finite m (issue 13); the conclusion is measured all the same
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(String.format("Du et al.'s setting (du2019, relu, first "
                + "layer trained, no bias, ||x_i|| = 1, mse): met; width m = %d vs m = Omega(n^6/(lambda0^4 delta^3)) = "
                + "%.3g x constant at delta = %.1f: constants unstated, not evaluable; eta_eff = eta/n = %.4g vs "
                + "lambda0/n^2 = %.4g", width, mRequired, DELTA, etaEff, lambda0 / ((double) n * n)), false);
        CheckResult.Bound bound = new CheckResult.Bound(boundText, rate);
        if (flips > nearBoundary) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.NOT_OBSERVED, String.format(
                    "BUG: %d patterns flipped but only %d have |w_r(0)^T x_i| <= max ||dw_r|| = %.4g", flips,
                    nearBoundary, maxMove));
        }
        List<String> misses = new ArrayList<>();
        if (diverged) {
            misses.add("the run diverged");
        }
        if (!(maxMove <= rPrime)) {
            misses.add(String.format("R = %.4g > R' = %.4g", maxMove, rPrime));
        }
        if (!(lminGT >= lambda0 / 2)) {
            misses.add(String.format("lambda_min(G(T)) = %.4g < lambda0/2 = %.4g", lminGT, lambda0 / 2));
        }
        if (!(dgSpectral <= lambda0 / 4)) {
            misses.add(String.format("||G(T) - G(0)||_2 = %.4g > lambda0/4 = %.4g", dgSpectral, lambda0 / 4));
        }
        if (!(lT / l0 <= rate)) {
            misses.add(String.format("L_T/L_0 = %.4g > (1 - eta_eff lambda0/2)^T = %.4g", lT / l0, rate));
        }
        if (misses.isEmpty()) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.OBSERVED, String.format(
                    "conclusion observed at m = %d (the theorem needs n^6/(lambda0^4 delta^3) = %.3g x constant): R = %.4g <= R' = %.4g, %.3g%% patterns flipped, ||dG||_F/||G0||_F = %.3g, lambda_min(G(T)) "
                            + "= %.4g >= lambda0/2 = %.4g, L_T/L_0 = %.3g <= %.3g", width, mRequired, maxMove, rPrime,
                    100 * flips / total, dgFrob / gFrob, lminGT, lambda0 / 2, lT / l0, rate));
        }
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.NOT_OBSERVED, String.join("; ", misses)
                + String.format("; m = %d is far below the theorem's width n^6/(lambda0^4 delta^3) = %.3g (constants "
                        + "unstated, probability 1 - delta), so the miss does not refute it", width, mRequired));
    }

    /** null when s is Du et al.'s setting, else what differs. */
    static String setting(Setup s) {
        Network net = s.dense();
        List<String> off = new ArrayList<>();
        if (net.spec().parameterization() != Parameterization.DU2019) {
            off.add("parameterization " + net.spec().parameterization().cliName() + " (need du2019)");
        }
        if (net.spec().bias()) {
            off.add("biases");
        }
        if (net.layers() != 2 || !Activations.RELU.equals(net.activation(0))) {
            off.add("not a two-layer relu net");
        }
        BitSet t = s.trainedLayers();
        if (t.cardinality() != 1 || !t.get(0)) {
            off.add("trained layers " + t + " (need the first only)");
        }
        if (s.k() != 1 || s.loss() != Loss.MSE) {
            off.add("need one output and mse");
        }
        for (int i = 0; i < s.n(); i++) {
            double sq = 0;
            for (int j = 0; j < s.x().cols(); j++) {
                sq += s.x().get(i, j) * s.x().get(i, j);
            }
            if (Math.abs(Math.sqrt(sq) - 1) > 1e-9) {
                off.add(String.format("||x_%d|| = %.6g != 1", i, Math.sqrt(sq)));
                break;
            }
        }
        return off.isEmpty() ? null : String.join(", ", off);
    }

    /** The measured GD loss with Du et al.'s bound (1 − η_eff λ0/2)^k L_0 drawn over it, η_eff = η/n. */
    @Override
    public java.util.List<Figure> figures(CheckResult r, Setup s) {
        if (!r.measured().containsKey("eta")) { // drawn whenever measured: the conclusion is seen or not, met or not
            return java.util.List.of();
        }
        double[][] kl = Figure.gdLoss(s, r.get("eta"), steps);
        double rho = 1 - r.get("eta") / s.n() * r.get("lambda0") / 2;
        double[] bound = new double[kl[0].length];
        for (int i = 0; i < bound.length; i++) {
            bound[i] = Math.pow(rho, i) * kl[1][0];
        }
        return java.util.List.of(Figure.builder("Loss against the theory", "step k", "loss").logY()
                .series("GD (measured)", kl[0], kl[1])
                .bound("bound (1 - eta_eff lambda0 / 2)^k L_0 (Du et al.)", kl[0], bound).build());
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new LazyTraining(s.lr(), s.steps());
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new LazyTraining(1.8, 300);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("Du et al. setting, n=6, d=5, width 512, eta = 1.8 (eta_eff = 0.3)",
                () -> PresetSetups.duNet(6, 5, 512, 402)),
                new Preset("standard parameterization with biases (outside their setting)",
                        () -> PresetSetups.smallNet("relu", 6, 5, 256, 413)));
    }
}
