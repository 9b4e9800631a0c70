package org.overparam.theory;

import java.util.LinkedHashMap;
import java.util.Map;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.GramSpectrum;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.train.Loss;

/**
 * Check 3 — the PL inequality of non-linear least squares at one point, from the tangent kernel.
 *
 * <p>Paper: Liu, Zhu &amp; Belkin, <i>Loss landscapes and optimization in over-parameterized non-linear systems
 * and neural networks</i>, Appl. Comput. Harmon. Anal. 59 (2022), §4 (μ-PL* with μ = λmin(K(w)), K = JJᵀ the
 * tangent kernel); in the lecture's form ‖∇L̃(w)‖² ≥ 4·λmin(J(w)J(w)ᵀ)·L̃(w) for L̃ = ‖h − y‖².
 *
 * <p>Hypothesis: the square loss (our {@code mse}). Measured at the net's weights: L, ‖∇L‖² over the trained
 * parameters, and λmin, λmax of the (nk)×(nk) Gram Θ = JJᵀ over the trained layers ({@link EmpiricalNtk},
 * {@link OutputMode#FULL}; row index i·k + a). Bound, in our normalization L = (1/(2n))‖r‖², r = h − y:
 * ∇L = Jᵀr/n, so ‖∇L‖² = rᵀΘr/n² ≥ λmin‖r‖²/n² = (2λmin/n)·L (and ≤ (2λmax/n)·L). Conversion from the paper's
 * form: L̃ = 2nL and ∇L̃ = 2n∇L turn ‖∇L̃‖² ≥ 4λmin L̃ into 4n²‖∇L‖² ≥ 8nλmin L.
 *
 * <p>This is linear algebra, true at every point: a violation beyond the tolerance
 * {@link #RELATIVE_TOLERANCE}·λmax·‖r‖²/n² (the natural scale of ‖∇L‖²) is a bug in the gradient, the Gram
 * or their normalizations, reported as {@code violated}. It gives the pointwise ratio ‖∇L‖²/L ≥ 2λmin/n at
 * this point only; the PL constant of a region is the infimum over the region (see {@link PlAlongPath}).
 */
public final class NonlinearLeastSquaresPl implements TheoremCheck {
    /** Violation tolerance, relative to λmax·‖r‖²/n². */
    public static final double RELATIVE_TOLERANCE = 1e-10;

    @Override
    public String id() {
        return "pl-least-squares";
    }

    @Override
    public String formula() {
        return "||grad L(w)||^2 >= (2 lambda_min(J J^T)/n) L(w)";
    }

    @Override
    public String claim() {
        return "for the square loss, ||grad L||^2 >= (2 lambda_min(J J^T)/n) L at every w (our mse); "
                + "pointwise only: the PL constant of a region is the infimum over the region";
    }

    @Override
    public String paper() {
        return "Liu, Zhu & Belkin (2022), Loss landscapes and optimization in over-parameterized non-linear systems "
                + "and neural networks, ACHA 59, Sec. 4 (mu-PL* with mu = lambda_min(K)); lecture form "
                + "||grad Lt||^2 >= 4 lambda_min(J J^T) Lt for Lt = ||h - y||^2";
    }

    private static final String BOUND_TEXT = "(2 lambda_min(J J^T)/n) L for L = (1/(2n))||h - y||^2 "
            + "[paper: ||grad Lt||^2 >= 4 lambda_min Lt, Lt = ||h - y||^2 = 2nL, grad Lt = 2n grad L]";

    @Override
    public boolean generalNetworks() {
        return true;
    }

    @Override
    public CheckResult run(Setup s) {
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis("square loss (mse); got " + s.loss().cliName(),
                s.loss() == Loss.MSE);
        Map<String, Double> m = new LinkedHashMap<>();
        if (!hyp.met()) {
            return new CheckResult(id(), claim(), paper(), hyp, m, new CheckResult.Bound(BOUND_TEXT, Double.NaN),
                    Conclusion.UNDECIDED, "the inequality is about the square loss; " + s.loss().cliName()
                            + " is not one");
        }
        int n = s.n();
        int nk = n * s.k();
        double loss;
        double g2;
        try (Matrix grad = s.net().newParameterVector()) {
            loss = Objective.lossAndGradient(s.net(), s.x(), s.y(), s.loss(), grad);
            g2 = Vectors.dot(grad, grad);
        }
        GramSpectrum spec;
        try (Matrix gram = EmpiricalNtk.compute(s.net(), s.x(), s.trainedLayers(), OutputMode.FULL)) {
            spec = GramSpectrum.of(gram, nk, (int) Math.min(Integer.MAX_VALUE, s.net().trainableCount()), 0, false);
        }
        double lower = 2 * spec.lambdaMin() / n * loss;
        double upper = 2 * spec.lambdaMax() / n * loss;
        double tol = RELATIVE_TOLERANCE * Math.abs(spec.lambdaMax()) * 2 * loss / n;
        m.put("n", (double) n);
        m.put("k", (double) s.k());
        m.put("loss", loss);
        m.put("grad_norm_sq", g2);
        m.put("lambda_min_JJt", spec.lambdaMin());
        m.put("lambda_min_error", spec.lambdaMinResidual());
        m.put("lambda_max_JJt", spec.lambdaMax());
        m.put("pointwise_mu", g2 / loss);
        m.put("kernel_mu", 2 * spec.lambdaMin() / n);
        m.put("upper_bound", upper);
        m.put("ratio_to_bound", g2 / lower);
        m.put("tolerance", tol);
        CheckResult.Bound bound = new CheckResult.Bound(BOUND_TEXT, lower);
        Conclusion v = conclusion(g2, lower, upper, tol);
        String why = switch (v) {
            case OBSERVED -> spec.lambdaMin() <= spec.lambdaMinResidual()
                    ? "holds trivially: lambda_min(J J^T) is zero to rounding (J has no full row rank), no PL constant here"
                    : String.format("||grad L||^2 = %.6g >= %.6g (ratio %.4g); pointwise at these weights only", g2,
                            lower, g2 / lower);
            case NOT_OBSERVED -> String.format("BUG: ||grad L||^2 = %.17g outside [%.17g, %.17g] beyond tolerance %.3g: "
                    + "gradient, Gram or normalization disagree", g2, lower, upper, tol);
            default -> throw new IllegalStateException();
        };
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, v, why);
    }

    /** observed iff lower − tol ≤ ‖∇L‖² ≤ upper + tol; otherwise the algebra was broken (violated). */
    static Conclusion conclusion(double gradNormSq, double lower, double upper, double tol) {
        return gradNormSq >= lower - tol && gradNormSq <= upper + tol ? Conclusion.OBSERVED : Conclusion.NOT_OBSERVED;
    }

    /** The spectrum of J Jᵀ at w0 that the PL constant and the kernel's step size are read from. */
    @Override
    public java.util.List<Figure> figures(CheckResult r, Setup s) {
        return Figure.ntkSpectrum(s);
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new NonlinearLeastSquaresPl();
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new NonlinearLeastSquaresPl();
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("two-layer relu net, n=8, d=4, width 32", () -> PresetSetups.smallNet("relu", 8, 4, 32, 3)),
                new Preset("cross-entropy (hypothesis not met: PL-from-Jacobian is for squared loss)",
                        () -> PresetSetups.crossEntropyNet()));
    }
}
