package org.overparam.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Rank;
import org.overparam.nn.Activation;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;

/**
 * Check 4 — the Jacobian over one weight layer has full row rank n once that layer has ≥ n parameters.
 *
 * <p>Paper: Soudry &amp; Carmon, <i>No bad local minima: data independent training error guarantees for
 * multilayer neural networks</i>, arXiv:1605.08361 (2016), Lemma 1 / Theorem 1 (one hidden layer: for leaky
 * ReLU and data and activation patterns in general position — almost every dropout/pattern realization — the
 * n × d0·d1 matrix with rows (a ∘ s_i) ⊗ x_i, the gradient of the output over the first-layer weights, has rank
 * n when d0·d1 ≥ n, so every differentiable local minimum has zero training error) and Theorem 2 (deeper nets:
 * the same condition on the last hidden weight matrix, d_{L−2}·d_{L−1} ≥ n).
 *
 * <p>Here the condition layer is c = (number of hidden layers) − 1 (layer 0 for one hidden layer), its fan-in
 * d_in = widths[c] (+1 with biases, the bias being a weight on a constant input) and fan-out d_out = widths[c+1].
 * Hypothesis: one output; every hidden activation leaky ReLU with α &gt; 0, α ≠ 1 (ReLU has dead units, α = 1
 * is linear); and general position, which a finite sample can only proxy: the layer's inputs [A_{c−1} 1] have
 * rank min(n, d_in), and the activation patterns of layer c are diverse enough: the points sharing a pattern p
 * (row of 1{z &gt; 0}) have Jacobian rows in δ_p ⊗ ℝ^{d_in}, so rank J ≤ Σ_p min(|p|, d_in), and this
 * pattern-group bound must reach n. Soudry &amp; Carmon's patterns are random (dropout-like) and generic; at
 * initialization many points can share a pattern (every unit active on every point under a large positive bias
 * is the extreme: one pattern, the layer linear on the data). Then the theorem says nothing — reported as
 * {@code hypothesis not met}, never {@code violated}.
 *
 * <p>Measured: rank of the Jacobian over layer c's weights and biases and over all parameters
 * ({@link org.overparam.kernel.Jacobian}; rank by {@link Rank#of}, numpy's rule tol = max(rows, cols)·ε·σ_1,
 * stated in the result). Verdict: holds if rank = n; a rank below n with the hypothesis met is
 * {@code inconclusive} (the statement is almost-sure; general position was only proxied).
 */
public final class FullRankJacobian implements TheoremCheck {

    /** One point of the phase transition: hidden width, d0·d1/n and rank(J over layer 0)/n. */
    public record Point(int width, double parametersOverN, double rankOverN) {
    }

    @Override
    public String id() {
        return "full-rank-jacobian";
    }

    @Override
    public String formula() {
        return "rank J = n \"when\" d_in d_out >= n";
    }

    @Override
    public String claim() {
        return "leaky relu, data and activation patterns in general position: the Jacobian over the last hidden "
                + "weight matrix (the first layer for one hidden layer) has rank n when d_in*d_out >= n "
                + "(d_in = fan-in + 1 with biases)";
    }

    @Override
    public String paper() {
        return "Soudry & Carmon (2016), No bad local minima: data independent training error guarantees for "
                + "multilayer neural networks, arXiv:1605.08361, Lemma 1 / Theorem 1 (one hidden layer, d0*d1 >= n), "
                + "Theorem 2 (deeper: d_{L-2}*d_{L-1} >= n)";
    }

    @Override
    public CheckResult run(Setup s) {
        Network net = s.dense();
        int n = s.n();
        int hiddenLayers = net.layers() - 1;
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = "rank J = n when d_in*d_out >= n";
        if (hiddenLayers < 1) {
            return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis("at least one hidden layer", false),
                    m, new CheckResult.Bound(boundText, n), Conclusion.UNDECIDED, "a linear model has no hidden layer");
        }
        int c = hiddenLayers - 1;
        int[] w = net.widths();
        boolean bias = net.bias(c) != null;
        int dIn = w[c] + (bias ? 1 : 0);
        int dOut = w[c + 1];
        boolean leaky = true;
        for (int l = 0; l < hiddenLayers; l++) {
            Activation a = net.activation(l);
            leaky &= a instanceof Activations.LeakyRelu lr && lr.alpha() > 0 && lr.alpha() != 1;
        }
        int inputRank;
        int constant;
        int patterns;
        long groupBound;
        try (Matrix in = layerInputs(net, s.x(), c, bias); Matrix z = Layers.preActivations(net, s.x(), c)) {
            inputRank = Rank.of(in, 0).rank();
            constant = Layers.constantUnits(z);
            patterns = Layers.distinctPatterns(z);
            groupBound = Layers.patternGroupBound(z, dIn);
        }
        int varying = dOut - constant;
        boolean inputsGeneral = inputRank == Math.min(n, dIn);
        boolean countOk = (long) dIn * dOut >= n;
        boolean patternsGeneral = groupBound >= n;
        boolean met = s.k() == 1 && leaky && inputsGeneral && countOk && patternsGeneral;
        Rank.Result layerRank = Layers.jacobianRank(net, s.x(), Layers.range(c, c + 1));
        Rank.Result allRank = Layers.jacobianRank(net, s.x(), Layers.range(0, net.layers()));
        m.put("n", (double) n);
        m.put("condition_layer", (double) c);
        m.put("d_in", (double) dIn);
        m.put("d_out", (double) dOut);
        m.put("d_in_d_out_over_n", (double) dIn * dOut / n);
        m.put("layer_input_rank", (double) inputRank);
        m.put("units_with_varying_pattern", (double) varying);
        m.put("units_with_constant_pattern", (double) constant);
        m.put("distinct_patterns", (double) patterns);
        m.put("pattern_group_bound", (double) groupBound);
        m.put("rank_J_layer", (double) layerRank.rank());
        m.put("rank_J_layer_tolerance", layerRank.tolerance());
        m.put("rank_J_all", (double) allRank.rank());
        m.put("rank_J_all_tolerance", allRank.tolerance());
        String hypText = String.format("one output (k = %d); leaky relu 0 < alpha != 1 in every hidden layer (%s); "
                + "d_in*d_out = %d*%d >= n = %d (%s); general position (proxies): rank of layer %d's inputs "
                + "[A 1] = %d = min(n, d_in) (%s), sum over the %d distinct patterns p of min(|p|, d_in) = %d >= n (%s)",
                s.k(), leaky, dIn, dOut, n, countOk, c, inputRank, inputsGeneral, patterns, groupBound, patternsGeneral);
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(hypText, met);
        CheckResult.Bound bound = new CheckResult.Bound(boundText + "; layer rank: " + layerRank.describe()
                + "; all parameters: " + allRank.describe(), n);
        Conclusion v;
        String why;
        if (!met) {
            v = layerRank.rank() == n ? Conclusion.OBSERVED : Conclusion.NOT_OBSERVED;
            why = !leaky ? "the statement is for leaky relu (alpha > 0, alpha != 1)"
                    : s.k() != 1 ? "the statement is for one output"
                    : !countOk ? String.format("d_in*d_out = %d < n = %d: rank J <= %d < n by counting", dIn * dOut, n,
                            dIn * dOut)
                    : !inputsGeneral ? "the layer's inputs are not in general position (rank " + inputRank + ")"
                    : String.format("degenerate activation pattern: %d distinct patterns on %d points (%d of %d units "
                            + "have the same pattern on every point, acting linearly on the data); points sharing a "
                            + "pattern p span at most min(|p|, d_in) rows, so rank J <= %d < n: the patterns are not in "
                            + "general position; rank J over layer %d = %d", patterns, n, constant, dOut, groupBound,
                            c, layerRank.rank());
        } else if (layerRank.rank() == n) {
            v = Conclusion.OBSERVED;
            why = String.format("rank J over layer %d = n = %d (all parameters: %d)", c, n, allRank.rank());
        } else {
            v = Conclusion.UNDECIDED; // general position only proxied, the statement almost sure
            why = String.format("rank J over layer %d = %d < n = %d; the statement is almost-sure and general position "
                    + "was only proxied", c, layerRank.rank(), n);
        }
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, v, why);
    }

    /** [A_{c−1} 1] (or X for c = 0), the inputs of layer c, with a column of ones when the layer has biases. */
    private static Matrix layerInputs(Network net, Matrix x, int c, boolean bias) {
        try (Matrix a = c == 0 ? x.copy() : Layers.activations(net, x, c - 1)) {
            Matrix out = Matrix.zeros(a.rows(), a.cols() + (bias ? 1 : 0));
            for (int i = 0; i < a.rows(); i++) {
                for (int j = 0; j < a.cols(); j++) {
                    out.set(i, j, a.get(i, j));
                }
                if (bias) {
                    out.set(i, a.cols(), 1.0);
                }
            }
            return out;
        }
    }

    /**
     * The phase transition of rank J/n against d0·d1/n: for each hidden width d1, a one-hidden-layer ntk net
     * d0 → d1 → 1 without biases (leaky relu {@code act}, N(0,1) weights, seed {@code seed}), rank of J over
     * the first-layer weights divided by n. In general position it is min(1, d0·d1/n).
     */
    public static List<Point> phaseTransition(Matrix x, Activation act, int[] widths, long seed) {
        int n = x.rows();
        int d0 = x.cols();
        List<Point> out = new ArrayList<>();
        for (int d1 : widths) {
            try (Network net = Network.initialize(NetworkSpec.ntk(d0, new int[] {d1}, 1, act, 1.0, 0.0, false), seed)) {
                int r = Layers.jacobianRank(net, x, Layers.range(0, 1)).rank();
                out.add(new Point(d1, (double) d0 * d1 / n, (double) r / n));
            }
        }
        return out;
    }

    /** Soudry &amp; Carmon's phase transition: rank J / n against d0·d1 / n over first-layer widths up to 2n/d0. */
    @Override
    public java.util.List<Figure> figures(CheckResult r, Setup s) {
        if (!r.hypothesis().met() || s.dense().layers() != 2) {
            return java.util.List.of();
        }
        int n = s.n();
        int d0 = s.x().cols();
        int maxWidth = Math.max(2, (2 * n + d0 - 1) / d0);
        int[] widths = java.util.stream.IntStream.rangeClosed(1, maxWidth).toArray();
        var points = phaseTransition(s.x(), s.dense().activation(0), widths, 7);
        double[] px = points.stream().mapToDouble(p -> p.parametersOverN()).toArray();
        double[] py = points.stream().mapToDouble(p -> p.rankOverN()).toArray();
        double[] theory = java.util.Arrays.stream(px).map(v -> Math.min(1.0, v)).toArray();
        return java.util.List.of(Figure.builder("Phase transition of rank J (first layer)", "d0*d1 / n", "rank J / n")
                .series("measured", px, py).prediction("min(1, d0 d1 / n)", px, theory).build());
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new FullRankJacobian();
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new FullRankJacobian();
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("leaky_relu:0.2 net, n=20, d=4, width 8 (d0*d1 = 32 >= n)",
                () -> PresetSetups.ntkNet("leaky_relu:0.2", 20, 4, 8, false, 103)),
                new Preset("leaky_relu:0.2 net, n=20, d=4, width 3 (d0*d1 = 12 < n: hypothesis not met)",
                        () -> PresetSetups.ntkNet("leaky_relu:0.2", 20, 4, 3, false, 133)));
    }
}
