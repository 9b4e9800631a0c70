package org.overparam.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.kernel.LinearizedNet;
import org.overparam.kernel.NtrfResult;
import org.overparam.kernel.NtrfSolver;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Network;
import org.overparam.nn.Parameterization;
import org.overparam.train.GdToTarget;
import org.overparam.train.Loss;

/**
 * Check 12 — GD on a deep ReLU net competes with the best NTRF function (Chen, Cao, Zou &amp; Gu, ICLR 2021,
 * Theorems 3.3 and 3.5; see {@link Chen2021Bounds} for the statements and which constants are order only).
 *
 * <p>Hypothesis: their setting (chen2021 parameterization, logistic loss, one output, labels ±1, ‖x_i‖ = 1) and an
 * NTRF margin at the chosen R: ε_NTRF(R) ≤ {@code epsMax}, certified by the solver's gap (the objective, an upper
 * bound on ε_NTRF, is compared). Their width condition m ≥ m*(δ, R, L) = Õ(poly(R, L))·log^{4/3}(n/δ) cannot be
 * checked (poly unspecified) and is reported as such. Random labels have no NTRF margin at moderate R: hypothesis
 * not met.
 *
 * <p>Measured, on a copy trained by GD with η = c/(L m) for T steps: the final and smallest training loss, training
 * and test error, and the distance travelled in R units, √m·max_l ‖W_l − W_l⁰‖_F. Bound: the test error ≤
 * 2ε_NTRF + 4^L L² R/√n + √(log(1/δ)/n) (constants 1: order only) and the training loss ≤ 3ε_NTRF. Verdict:
 * {@code holds} when both are met; {@code inconclusive} otherwise (the width, η and T carry unstated constants, so
 * a miss does not refute the theorem); never {@code violated}.
 */
public final class NtrfGeneralization implements TheoremCheck {
    /** The default NTRF margin asked for: ε_NTRF(R) ≤ 0.1 (polylog's warning uses the same threshold). */
    public static final double DEFAULT_EPS_MAX = 0.1;

    private final double radius;
    private final double epsMax;
    private final double lrConstant;
    /** GD's step η itself (a user's run), or NaN for η = c/(L m) from {@code lrConstant}. */
    private double eta = Double.NaN;
    private final long steps;
    private final double delta;
    private final Matrix testX;
    private final Matrix testY;

    /**
     * @param radius     R of the NTRF class (their units)
     * @param epsMax     the hypothesis asks ε_NTRF(R) ≤ epsMax
     * @param lrConstant c in η = c/(L m)
     * @param steps      GD steps T
     * @param delta      δ in the bound's √(log(1/δ)/n)
     * @param testX      held-out inputs (or null: no test error)
     * @param testY      held-out labels ±1 (n_test × 1)
     */
    public NtrfGeneralization(double radius, double epsMax, double lrConstant, long steps, double delta, Matrix testX,
            Matrix testY) {
        if (!(radius >= 0) || !(epsMax > 0) || !(lrConstant > 0 || Double.isNaN(lrConstant)) || steps < 0
                || !(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("need R >= 0, epsMax > 0, lr constant > 0, steps >= 0, 0 < delta < 1");
        }
        this.radius = radius;
        this.epsMax = epsMax;
        this.lrConstant = lrConstant;
        this.steps = steps;
        this.delta = delta;
        this.testX = testX;
        this.testY = testY;
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p("radius_R", radius, "eps_ntrf_max", epsMax, Double.isNaN(eta) ? "lr_constant_c" : "lr", Double.isNaN(eta) ? lrConstant : eta, "steps", steps, "delta", delta);
    }

    @Override
    public String id() {
        return "ntrf-generalization";
    }

    @Override
    public String formula() {
        return "error <= 2 epsilon_NTRF + O(4^L L^2 R/sqrt{n}) + O(sqrt{log(1/delta)/n})";
    }

    @Override
    public String claim() {
        return "deep relu net sqrt(m) W_L relu(... W_1 x), logistic loss: GD with eta = Theta(1/(L m)) reaches training "
                + "loss <= 3 eps_NTRF(R) and test error <= 2 eps_NTRF + O~(4^L L^2 R/sqrt(n)) + O(sqrt(log(1/delta)/n)) "
                + "once m >= O~(poly(R, L)) log^{4/3}(n/delta)";
    }

    @Override
    public String paper() {
        return "Chen, Cao, Zou & Gu (2021), How much over-parameterization is sufficient to learn deep ReLU networks?, "
                + "ICLR, Definition 3.1 (NTRF class), Theorem 3.3 (GD), Theorem 3.5 (generalization); constants as "
                + "recalled from arXiv v4, not verified against the stored text";
    }

    @Override
    public CheckResult run(Setup s) {
        Network net = s.dense();
        int n = s.n();
        int depth = net.layers();
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = "test error <= 2 eps_NTRF + 4^L L^2 R/sqrt(n) + sqrt(log(1/delta)/n) (Thm 3.5, O~/O constants "
                + "1: order only); training loss <= 3 eps_NTRF (Thm 3.3)";
        String off = setting(s);
        if (off != null) {
            return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis("Chen et al.'s setting: " + off,
                    false), m, new CheckResult.Bound(boundText, Double.NaN), Conclusion.UNDECIDED,
                    "outside the theorem's setting: " + off);
        }
        int width = net.widths()[1];
        NtrfResult ntrf;
        try (LinearizedNet lin = new LinearizedNet(net, s.x())) {
            ntrf = NtrfSolver.defaults().solve(lin, s.y(), radius, null);
        }
        double eps = ntrf.objective();
        m.put("n", (double) n);
        m.put("L", (double) depth);
        m.put("m", (double) width);
        m.put("R", radius);
        m.put("eps_ntrf", eps);
        m.put("eps_ntrf_gap", ntrf.gap());
        m.put("eps_ntrf_iterations", (double) ntrf.iterations());
        m.put("ntrf_train_accuracy", ntrf.accuracy());
        m.put("loss_at_init", ntrf.initialLoss());
        boolean margin = eps <= epsMax;
        String widthNote = String.format("m = %d vs m* = O~(poly(R, L)) log^{4/3}(n/delta) = poly(R, L) x %.3g (poly "
                + "unspecified: not checkable)", width, Math.pow(Math.log(n / delta), 4.0 / 3));
        // the width condition m >= m*(delta, R, L) has an unspecified polynomial: not evaluable, so the hypothesis
        // is not met as a whole (issue 13); the margin condition is evaluated and reported on its own
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(String.format("Chen et al.'s setting: met; NTRF margin: "
                + "eps_NTRF(R = %.3g) = %.4g (certified gap %.1e) <= %.3g: %s; %s", radius, eps, ntrf.gap(), epsMax,
                margin ? "met" : "NOT met", widthNote), false);
        m.put("ntrf_margin_met", margin ? 1.0 : 0.0);
        double bound = Chen2021Bounds.testError(eps, depth, radius, n, delta);
        CheckResult.Bound b = new CheckResult.Bound(boundText, bound);
        if (!margin) {
            return new CheckResult(id(), claim(), paper(), hyp, m, b, Conclusion.UNDECIDED, String.format(
                    "no NTRF margin at R = %.3g: eps_NTRF = %.4g > %.3g (the best linearized model within R/sqrt(m) of "
                            + "W0 cannot fit these labels), so the theorems promise nothing", radius, eps, epsMax));
        }
        double lr = Double.isNaN(eta) ? Chen2021Bounds.stepSize(lrConstant, depth, width) : eta;
        GdToTarget.Outcome gd;
        double testError = Double.NaN;
        double trainError;
        double travelled = 0;
        try (Network copy = net.copy()) {
            gd = GdToTarget.run(copy, s.x(), s.y(), Loss.LOGISTIC, lr, steps, 0.0);
            try (Matrix out = copy.predict(s.x())) {
                trainError = 1 - Loss.LOGISTIC.accuracy(out, s.y());
            }
            if (testX != null) {
                try (Matrix out = copy.predict(testX)) {
                    testError = 1 - Loss.LOGISTIC.accuracy(out, testY);
                }
            }
            for (int l = 0; l < depth; l++) {
                travelled = Math.max(travelled, Vectors.distance(copy.weight(l), net.weight(l)));
            }
        }
        double trainBound = Chen2021Bounds.trainingLoss(eps);
        m.put("eta", lr);
        m.put("steps", (double) gd.steps());
        m.put("train_loss_final", gd.finalLoss());
        m.put("train_loss_min", gd.minLoss());
        m.put("train_loss_bound_3eps", trainBound);
        m.put("train_error", trainError);
        m.put("test_error", testError);
        m.put("test_error_bound", bound);
        m.put("distance_R_units", Math.sqrt(width) * travelled);
        List<String> misses = new ArrayList<>();
        if (gd.diverged()) {
            misses.add("GD diverged");
        }
        if (!(gd.minLoss() <= trainBound)) {
            misses.add(String.format("min training loss %.4g > 3 eps_NTRF = %.4g after %d steps", gd.minLoss(), trainBound,
                    gd.steps()));
        }
        if (testX != null && !(testError <= bound)) {
            misses.add(String.format("test error %.4g > bound %.4g", testError, bound));
        }
        String vacuous = bound >= 1 ? String.format(" (the generalization bound %.3g >= 1 is vacuous at n = %d, L = %d: "
                + "the 4^L L^2 R/sqrt(n) term dominates)", bound, n, depth) : "";
        if (misses.isEmpty()) {
            return new CheckResult(id(), claim(), paper(), hyp, m, b, Conclusion.OBSERVED, String.format("eps_NTRF(%.3g) = %.4g: "
                    + "GD reached %.4g <= 3 eps_NTRF in %d steps; test error %.4g <= %.4g%s", radius, eps, gd.minLoss(),
                    gd.steps(), testError, bound, vacuous));
        }
        return new CheckResult(id(), claim(), paper(), hyp, m, b, Conclusion.NOT_OBSERVED, String.join("; ", misses)
                + "; the width m*, eta and T carry unstated constants, so the miss does not refute the theorem" + vacuous);
    }

    /** null when s is Chen et al.'s setting, else what differs. */
    static String setting(Setup s) {
        Network net = s.dense();
        List<String> off = new ArrayList<>();
        if (net.spec().parameterization() != Parameterization.CHEN2021) {
            off.add("parameterization " + net.spec().parameterization().cliName() + " (need chen2021)");
        }
        if (s.loss() != Loss.LOGISTIC || s.k() != 1) {
            off.add("need one output and the logistic loss");
        }
        for (int i = 0; i < s.n(); i++) {
            double t = s.y().get(i, 0);
            if (t != 1 && t != -1) {
                off.add("labels must be +-1");
                break;
            }
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

    /** This check training with GD's step η itself (the user's run) instead of c/(L m). */
    NtrfGeneralization atStep(double lr) {
        this.eta = lr;
        return this;
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new NtrfGeneralization(8, DEFAULT_EPS_MAX, Double.NaN, s.steps(), 0.1, null, null).atStep(s.lr());
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new NtrfGeneralization(8, DEFAULT_EPS_MAX, 2.0, 200, 0.1, null, null);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("chen2021 net, L=2, width 128, margin data n=80, d=5, gamma=0.3, R=8, 200 test points",
                () -> PresetSetups.chenMargin(false), s -> {
                    org.overparam.linalg.Matrix[] test = PresetSetups.chenMarginTest();
                    return new NtrfGeneralization(8, 0.1, 2.0, 400, 0.1, test[0], test[1]);
                }),
                new Preset("same inputs, random labels (no NTRF margin: hypothesis not met)",
                        () -> PresetSetups.chenMargin(true), s -> new NtrfGeneralization(8, 0.1, 2.0, 400, 0.1, null, null)));
    }
}
