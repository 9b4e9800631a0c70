package org.overparam.theory;

import java.util.LinkedHashMap;
import java.util.Map;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Rank;
import org.overparam.nn.Activation;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;

/**
 * Check 5 — rank of the first-layer Jacobian of f(x) = vᵀσ(Wx) with the output weights v fixed.
 *
 * <p>Source: the lecture's rank argument (over-parameterization makes J full row rank). Row i of the Jacobian
 * over W (row-major, d1 × d0) is s·((v ∘ σ'(z_i)) ⊗ x̃_i), x̃_i = x_i (or [x_i 1] with biases), s the layer's
 * scale. For σ(x) = x every σ' is 1, so J = s·(X̃ ⊗ vᵀ) up to column order and rank J = rank X̃ · rank v =
 * rank X̃ (v ≠ 0). For |σ'| ≥ ρ &gt; 0 everywhere (leaky relu with α &gt; 0): if Jᵀc = 0 then for a unit r with
 * v_r ≠ 0, Σ_i c_i σ'(z_ir) x̃_i = 0, so rank X̃ = n forces c_i σ'(z_ir) = 0, i.e. c = 0: rank J = n.
 * (The argument only needs σ'(z_ir) ≠ 0 on the sample; the lecture states it for a global ρ, so e.g. tanh,
 * whose σ' has no positive lower bound on ℝ, is outside the hypothesis here.)
 *
 * <p>Hypothesis: one hidden layer, one output, v ≠ 0, σ linear or leaky relu with α &gt; 0, and rank X̃ = n
 * (so d0 (+1) ≥ n). Measured: rank X̃, rank J over layer 0 (weights and biases), ρ = min |σ'| over the sample,
 * the rank rule and tolerance ({@link Rank#of}). Both conclusions are linear algebra: a mismatch is
 * {@code violated}. With rank X̃ &lt; n the check reports {@code hypothesis not met} and, for σ linear, still
 * records whether rank J = rank X̃ (measured {@code linear_rank_identity}).
 */
public final class LinearActivationRank implements TheoremCheck {
    @Override
    public String id() {
        return "linear-activation-rank";
    }

    @Override
    public String formula() {
        return "rank J = n \"when\" rank X = n \"and\" |sigma'| >= rho > 0";
    }

    @Override
    public String claim() {
        return "f(x) = v^T sigma(W x), v fixed: for sigma(x) = x, J = v (x) X and rank J = rank X; for |sigma'| >= rho > 0 "
                + "(leaky relu), rank J = n whenever rank X = n";
    }

    @Override
    public String paper() {
        return "lecture: rank of the first-layer Jacobian (J = v (x) X for linear sigma; |sigma'| >= rho > 0 and "
                + "rank X = n give rank J = n)";
    }

    @Override
    public CheckResult run(Setup s) {
        Network net = s.dense();
        int n = s.n();
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = "rank J = n (and rank J = rank X for sigma linear)";
        if (net.layers() != 2 || s.k() != 1) {
            return new CheckResult(id(), claim(), paper(),
                    new CheckResult.Hypothesis("one hidden layer and one output", false), m,
                    new CheckResult.Bound(boundText, n), Conclusion.UNDECIDED,
                    "the statement is about f(x) = v^T sigma(W x)");
        }
        Activation act = net.activation(0);
        boolean linear = Activations.LINEAR.equals(act);
        boolean leaky = act instanceof Activations.LeakyRelu lr && lr.alpha() > 0;
        boolean bias = net.bias(0) != null;
        double vMax = 0;
        Matrix v = net.weight(1);
        for (int r = 0; r < v.size(); r++) {
            vMax = Math.max(vMax, Math.abs(v.at(r)));
        }
        double rho = Double.POSITIVE_INFINITY;
        try (Matrix z = Layers.preActivations(net, s.x(), 0)) {
            for (int k = 0; k < z.size(); k++) {
                rho = Math.min(rho, Math.abs(act.derivative(z.at(k))));
            }
        }
        Rank.Result xRank;
        try (Matrix xt = bias ? withOnes(s.x()) : s.x().copy()) {
            xRank = Rank.of(xt, 0);
        }
        Rank.Result jRank = Layers.jacobianRank(net, s.x(), Layers.range(0, 1));
        boolean identity = jRank.rank() == xRank.rank();
        m.put("n", (double) n);
        m.put("d0_with_bias", (double) (s.x().cols() + (bias ? 1 : 0)));
        m.put("width", (double) net.widths()[1]);
        m.put("rank_X", (double) xRank.rank());
        m.put("rank_J", (double) jRank.rank());
        m.put("rank_J_tolerance", jRank.tolerance());
        m.put("rho_min_abs_derivative", rho);
        m.put("max_abs_v", vMax);
        m.put("linear_rank_identity", linear ? (identity ? 1.0 : 0.0) : Double.NaN);
        boolean met = (linear || leaky) && vMax > 0 && xRank.rank() == n;
        String hypText = String.format("sigma linear or leaky relu alpha > 0 (got %s), v != 0 (max|v_r| = %.3g), "
                + "rank X%s = n (rank %d, n = %d)", act.name(), vMax, bias ? " [X 1]" : "", xRank.rank(), n);
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(hypText, met);
        CheckResult.Bound bound = new CheckResult.Bound(boundText + "; " + jRank.describe() + "; X: " + xRank.describe(),
                n);
        Conclusion verdict;
        String why;
        if (linear && vMax > 0 && !identity) {
            verdict = Conclusion.NOT_OBSERVED;
            why = String.format("BUG: sigma linear but rank J = %d != rank X = %d (J = v (x) X)", jRank.rank(),
                    xRank.rank());
        } else if (!met) {
            verdict = jRank.rank() == n ? Conclusion.OBSERVED : Conclusion.NOT_OBSERVED;
            why = !(linear || leaky) ? act.name() + " has no positive lower bound on |sigma'| over R"
                    : vMax == 0 ? "v = 0: J = 0"
                    : String.format("rank X = %d < n = %d, so rank J <= rank X < n%s", xRank.rank(), n,
                            linear ? String.format(" (here rank J = %d = rank X, as J = v (x) X gives)", jRank.rank())
                                    : String.format(" (here rank J = %d)", jRank.rank()));
        } else if (jRank.rank() == n) {
            verdict = Conclusion.OBSERVED;
            why = String.format("rank J = n = %d (rho = %.3g)%s", n, rho, linear ? ", = rank X" : "");
        } else {
            verdict = Conclusion.NOT_OBSERVED;
            why = String.format("BUG: rank X = n = %d and min|sigma'| = %.3g > 0 but rank J = %d", n, rho, jRank.rank());
        }
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, verdict, why);
    }

    private static Matrix withOnes(Matrix x) {
        Matrix a = Matrix.zeros(x.rows(), x.cols() + 1);
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                a.set(i, j, x.get(i, j));
            }
            a.set(i, x.cols(), 1.0);
        }
        return a;
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new LinearActivationRank();
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new LinearActivationRank();
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("linear activation, n=6, d=8, width 6", () -> PresetSetups.ntkNet("linear", 6, 8, 6, false, 203)),
                new Preset("tanh (|sigma'| not bounded below: hypothesis not met)",
                        () -> PresetSetups.ntkNet("tanh", 6, 8, 6, false, 223)));
    }
}
