package org.overparam.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.train.DivergenceException;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Check 11 — the largest stable GD step from the empirical NTK at initialization.
 *
 * <p>Paper: Lee, Xiao, Schoenholz, Bahri, Novak, Sohl-Dickstein &amp; Pennington, <i>Wide neural networks of any
 * depth evolve as linear models under gradient descent</i>, NeurIPS 2019, §2 / §4 (critical learning rate of the
 * linearized dynamics); neural-tangents {@code predict.max_learning_rate}.
 *
 * <p>For our mse L = (1/(2n))‖h − y‖² the linearized model's residual evolves as r_{k+1} = (I − ηΘ/n) r_k with
 * Θ = JJᵀ the (nk)×(nk) empirical NTK at w_0 (trained layers; {@link OutputMode#FULL}), so it converges iff
 * |1 − ηλ_i/n| &lt; 1 for all eigenvalues, i.e. η &lt; η_max = 2n/λmax(Θ). neural-tangents' max_learning_rate
 * assumes the loss (1/(2nk))‖h − y‖² and returns 2nk/λmax — k times ours for k outputs.
 *
 * <p>Hypothesis: mse, and a network wide enough to stay close to its linearization (not checkable at one
 * point; a miss is therefore {@code inconclusive}). Measured: λmin, λmax of Θ(w_0), η_max, the linear model's
 * contraction factor max_i |1 − ηλ_i/n| over the nonzero λ_i (range of Θ; λ_i > nk·ε·λmax), and on a GD run of T steps with η = factor·η_max (on a copy of the net)
 * the initial, final and largest loss. Bound: for η &lt; η_max the loss decreases (L_T &lt; L_0); for η ≥ η_max
 * it grows (max_k L_k &gt; L_0, or the run diverges). The measured ratios let tests ask for more (e.g. neural-tangents'
 * own: below 0.1·L_0 at η_max/2, above 10·L_0 at 3·η_max).
 */
public final class StepSizeFromKernel implements TheoremCheck {
    private final double factor;
    /** GD's step η itself (a user's run), or NaN for η = factor·η_max. */
    private double lr = Double.NaN;
    private final long steps;

    /**
     * @param factor GD runs with η = factor·η_max
     * @param steps  number of GD steps T
     */
    public StepSizeFromKernel(double factor, long steps) {
        if (!(factor > 0) || steps < 1) {
            throw new IllegalArgumentException("need factor > 0 and steps >= 1");
        }
        this.factor = factor;
        this.steps = steps;
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p(Double.isNaN(lr) ? "lr_over_eta_max" : "lr", Double.isNaN(lr) ? factor : lr, "steps", steps);
    }

    @Override
    public String id() {
        return "ntk-max-step";
    }

    @Override
    public String formula() {
        return "eta < eta_max = 2n/lambda_max(Theta_0)";
    }

    @Override
    public String claim() {
        return "for mse L = (1/(2n))||h - y||^2, GD on a wide net converges for eta < eta_max = 2n/lambda_max(Theta_0) "
                + "and diverges above it (Theta_0 = J J^T at init, (nk)x(nk)); neural-tangents' max_learning_rate "
                + "assumes 1/(2nk) and returns 2nk/lambda_max";
    }

    @Override
    public String paper() {
        return "Lee et al. (2019), Wide neural networks of any depth evolve as linear models under gradient descent, "
                + "NeurIPS, Sec. 2 and 4 (critical learning rate of the linearized dynamics); "
                + "neural_tangents.predict.max_learning_rate";
    }

    /** η_max = 2n/λmax(Θ(w)) at the net's weights, Θ the full (nk)×(nk) Gram over the trained layers. */
    public static double maxStep(Setup s) {
        try (Matrix gram = EmpiricalNtk.compute(s.net(), s.x(), s.trainedLayers(), OutputMode.FULL)) {
            double[] ev = Lapack.symmetricEigenvalues(gram);
            return 2.0 * s.n() / ev[ev.length - 1];
        }
    }

    @Override
    public boolean generalNetworks() {
        return true;
    }

    @Override
    public CheckResult run(Setup s) {
        Map<String, Double> m = new LinkedHashMap<>();
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(
                "square loss (mse), got " + s.loss().cliName() + "; width large enough for the linearization",
                s.loss() == Loss.MSE);
        String boundText = "eta_max = 2n/lambda_max(Theta_0) for L = (1/(2n))||h - y||^2 "
                + "[neural-tangents: 2nk/lambda_max for 1/(2nk)]";
        if (!hyp.met()) {
            return new CheckResult(id(), claim(), paper(), hyp, m, new CheckResult.Bound(boundText, Double.NaN),
                    Conclusion.UNDECIDED, "the critical step 2n/lambda_max is derived for the square loss; "
                            + s.loss().cliName() + " has a different (state-dependent) Hessian in the outputs");
        }
        int n = s.n();
        double[] ev;
        try (Matrix gram = EmpiricalNtk.compute(s.net(), s.x(), s.trainedLayers(), OutputMode.FULL)) {
            ev = Lapack.symmetricEigenvalues(gram);
        }
        double lmax = ev[ev.length - 1];
        double etaMax = 2.0 * n / lmax;
        double eta = Double.isNaN(lr) ? factor * etaMax : lr;
        double factor = eta / etaMax;
        // on the range of Θ: the residual's null-space component does not move under the linear model
        double rangeTol = ev.length * Math.ulp(1.0) * lmax;
        double contraction = 0;
        for (double l : ev) {
            if (l > rangeTol) {
                contraction = Math.max(contraction, Math.abs(1 - eta * l / n));
            }
        }
        List<Double> losses = new ArrayList<>();
        boolean diverged = false;
        try (org.overparam.nn.Model net = s.net().copy()) {
            new Trainer(net, s.x(), s.y(), TrainSpec.gd(s.loss(), eta, steps, 0))
                    .observe((r, w) -> losses.add(r.loss())).run();
        } catch (DivergenceException e) {
            diverged = true;
            losses.add(e.loss()); // the loss that stopped the run (above divergenceFactor·L_0, or non-finite)
        }
        double l0 = losses.get(0);
        double lT = losses.get(losses.size() - 1);
        double lMax = losses.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        m.put("n", (double) n);
        m.put("k", (double) s.k());
        m.put("lambda_min_Theta", ev[0]);
        m.put("lambda_max_Theta", lmax);
        m.put("eta_max", etaMax);
        m.put("eta_max_neural_tangents", etaMax * s.k());
        m.put("eta", eta);
        m.put("eta_over_eta_max", factor);
        m.put("linear_model_contraction", contraction);
        m.put("loss_0", l0);
        m.put("loss_T", lT);
        m.put("loss_max", lMax);
        m.put("final_over_initial", lT / l0);
        m.put("max_over_initial", lMax / l0);
        m.put("steps_run", (double) (losses.size() - 1));
        m.put("diverged", diverged ? 1.0 : 0.0);
        CheckResult.Bound bound = new CheckResult.Bound(boundText, etaMax);
        boolean converging = factor < 1;
        boolean ok = converging ? !diverged && lT < l0 : diverged || lMax > l0;
        String why = converging
                ? String.format("eta = %.4g eta_max: predicted decrease, L_T/L_0 = %.4g (max %.4g)%s", factor, lT / l0,
                        lMax / l0, diverged ? ", diverged" : "")
                : String.format("eta = %.4g eta_max: predicted growth, max_k L_k/L_0 = %.4g%s", factor, lMax / l0,
                        diverged ? " (run diverged)" : "");
        if (!ok) {
            why += "; the net left its linearization (finite width), so this does not refute the linear-model claim";
        }
        // a miss means the finite net left its linearization: the linear-model claim is not decided by it
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, ok ? Conclusion.OBSERVED : Conclusion.UNDECIDED, why);
    }

    /** The spectrum of J Jᵀ at w0 that the PL constant and the kernel's step size are read from. */
    @Override
    public java.util.List<Figure> figures(CheckResult r, Setup s) {
        return Figure.ntkSpectrum(s);
    }

    /** This check on a GD run with the user's step η (its factor of η_max is then measured, not chosen). */
    static StepSizeFromKernel atStep(double lr, long steps) {
        StepSizeFromKernel c = new StepSizeFromKernel(1, steps);
        c.lr = lr;
        return c;
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return StepSizeFromKernel.atStep(s.lr(), s.steps());
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new StepSizeFromKernel(0.5, 200);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("wide ntk-parameterized tanh net, n=8, d=4, width 256",
                () -> PresetSetups.wideNtk("tanh", 8, 4, 256, 4)));
    }
}
