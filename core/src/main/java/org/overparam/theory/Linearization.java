package org.overparam.theory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.overparam.kernel.Jacobian;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.stats.LogLogFit;
import org.overparam.train.DivergenceException;
import org.overparam.train.Loss;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Check 9 — a wide network trains like its linearization, along a nearly shortest path.
 *
 * <p>Papers: Lee, Xiao, Schoenholz, Bahri, Novak, Sohl-Dickstein &amp; Pennington, <i>Wide neural networks of any
 * depth evolve as linear models under gradient descent</i>, NeurIPS 2019, Theorem 2.1: in the NTK
 * parameterization, sup_t ‖f_t(x) − f_t^lin(x)‖ = O(1/√m) for GD on mse, where f^lin(w) = f(w_0) + J(w_0)(w − w_0);
 * Liu, Zhu &amp; Belkin, <i>On the linearity of large non-linear models</i>, NeurIPS 2020, Theorem 3.2: the Hessian
 * of the outputs in the weights has spectral norm Õ(1/√m), which is why the Taylor model stays accurate;
 * Oymak &amp; Soltanolkotabi, <i>Overparameterized nonlinear learning: gradient descent takes the shortest path?</i>,
 * ICML 2019, Theorem 2.1: the iterates stay within a ball of radius ~‖w* − w_0‖ and GD's path is nearly the
 * shortest one, so the path length Σ‖w_{k+1} − w_k‖ is a small multiple of ‖w_T − w_0‖.
 *
 * <p>Measured, for the setup's net and for each width of a list (same architecture, every hidden layer of that
 * width, initialized with one seed): the net trained by GD for T steps with our η, and the linearized model
 * trained by GD from the same start with the same step — a linear least-squares problem in Δw:
 * f_lin = f(w_0) + J Δw, Δw ← Δw − η Jᵀ(f_lin − y)/n (our mse's gradient; J from {@link Jacobian} over the trained
 * layers). The linearization gap ‖f_T − f_T^lin‖/‖f_T‖ on the training inputs, the path length against
 * ‖w_T − w_0‖ and their ratio (≥ 1; 1 = a straight line), and the log-log slope of the gap against width
 * (least squares; the theory predicts −1/2). The normalization does not enter: both models use the same loss
 * and step, and the gap is a ratio (their ½Σ form would use η/n; printed).
 *
 * <p>Hypothesis for the width claim: mse and an NTK-scaled parameterization ({@code ntk}, or {@code du2019}, whose
 * 1/√m output scaling is the same); {@code standard} (PyTorch) scaling is {@code hypothesis not met} (there the
 * output layer's weights are O(1/√m) at init and the NTK limit does not hold in the same form), as is any other
 * loss. Verdict: {@code holds} when the slope is ≤ −0.2 (the gap shrinks with width), else {@code inconclusive}
 * (finite widths, one seed), also when fewer than two distinct widths have a positive finite gap (no slope then).
 */
public final class Linearization implements TheoremCheck {
    /** The slope the width trend must reach for {@code holds}. */
    public static final double SLOPE_THRESHOLD = -0.2;

    private final double lr;
    private final long steps;
    private final int[] widths;
    private final long seed;
    private final int seeds;

    /**
     * @param lr     GD step η on our mse (the same for the net and its linearization)
     * @param steps  T
     * @param widths widths for the trend (≥ 2 distinct)
     * @param seed   initialization seed for the nets of the trend
     * @param seeds  nets per width the trend's gap is averaged over (seeds seed, seed + 1, …)
     */
    public Linearization(double lr, long steps, int[] widths, long seed, int seeds) {
        if (!(lr > 0) || steps < 1 || widths.length < 2) {
            throw new IllegalArgumentException("need lr > 0, steps >= 1 and at least two widths");
        }
        this.lr = lr;
        this.steps = steps;
        this.widths = widths.clone();
        this.seed = seed;
        this.seeds = seeds;
        if (seeds < 1) {
            throw new IllegalArgumentException("need seeds >= 1");
        }
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p("lr", lr, "steps", steps, "widths", java.util.Arrays.stream(widths).boxed().toList(), "seeds", seeds, "seed", seed);
    }

    @Override
    public String id() {
        return "linearization";
    }

    @Override
    public String formula() {
        return "||f(w_t) - f_lin(w_t)|| = O(1/sqrt{m})";
    }

    @Override
    public String claim() {
        return "in the NTK parameterization GD on a net of width m stays O(1/sqrt m) close to GD on its linearization "
                + "f(w_0) + J(w_0)(w - w_0) (same start, same step); the output Hessian is O(1/sqrt m); GD's path length "
                + "is a small multiple of ||w_T - w_0|| (nearly the shortest path)";
    }

    @Override
    public String paper() {
        return "Lee et al. (2019), Wide neural networks of any depth evolve as linear models under gradient descent, "
                + "NeurIPS, Theorem 2.1; Liu, Zhu & Belkin (2020), On the linearity of large non-linear models, "
                + "NeurIPS, Theorem 3.2; Oymak & Soltanolkotabi (2019), Overparameterized nonlinear learning: gradient "
                + "descent takes the shortest path?, ICML, Theorem 2.1";
    }

    /**
     * One comparison of a net with its linearization.
     *
     * @param relativeGap   ‖f_T − f_T^lin‖/‖f_T‖ on the training inputs
     * @param weightGap     ‖w_T − w_T^lin‖/‖w_T − w_0‖
     * @param pathLength    Σ_k ‖w_{k+1} − w_k‖
     * @param displacement  ‖w_T − w_0‖
     * @param lossT         L(w_T) of the net
     * @param lossLinT      L of the linearized model at T
     */
    public record Gap(double relativeGap, double weightGap, double pathLength, double displacement, double lossT,
            double lossLinT) {
        /** path length / displacement (≥ 1). */
        public double pathRatio() {
            return pathLength / displacement;
        }
    }

    /** Trains a copy of {@code net} and its linearization (mse, GD, step lr, T steps) and compares them. */
    public static Gap measure(Network net, Matrix x, Matrix y, double lr, long steps) {
        int n = x.rows();
        TrainedCoordinates coords = new TrainedCoordinates(net);
        int p = coords.dimension();
        double[] path = {0};
        try (Network copy = net.copy(); Matrix j = Jacobian.compute(net, x, null); Matrix f0 = net.predict(x);
                Matrix prev = Matrix.zeros(p, 1); Matrix cur = Matrix.zeros(p, 1); Matrix w0 = Matrix.zeros(p, 1);
                Matrix dw = Matrix.zeros(p, 1); Matrix grad = Matrix.zeros(p, 1)) {
            int rows = j.rows();
            coords.pack(net.parameters(), w0);
            prev.copyFrom(w0);
            TrainObserver obs = (StepRecord r, org.overparam.nn.Model current) -> {
                coords.pack(current.parameters(), cur);
                path[0] += Vectors.distance(cur, prev);
                prev.copyFrom(cur);
            };
            new Trainer(copy, x, y, TrainSpec.gd(Loss.MSE, lr, steps, 0)).observe(obs).run();
            coords.pack(copy.parameters(), cur);
            try (Matrix fT = copy.predict(x); Matrix flin = Matrix.zeros(rows, 1); Matrix res = Matrix.zeros(rows, 1)) {
                Matrix f0v = f0.reshape(rows, 1);
                Matrix yv = y.reshape(rows, 1);
                for (long k = 0; k < steps; k++) {
                    flin.copyFrom(f0v);
                    Blas.gemv(false, 1.0, j, dw, 1.0, flin);
                    res.copyFrom(flin);
                    Vectors.axpy(-1.0, yv, res);
                    Blas.gemv(true, 1.0 / n, j, res, 0.0, grad);
                    Vectors.axpy(-lr, grad, dw);
                }
                flin.copyFrom(f0v);
                Blas.gemv(false, 1.0, j, dw, 1.0, flin);
                res.copyFrom(flin);
                Vectors.axpy(-1.0, yv, res);
                double lossLin = Vectors.dot(res, res) / (2.0 * n);
                Matrix fTv = fT.reshape(rows, 1);
                double gap = Vectors.distance(fTv, flin) / Vectors.norm2(fTv);
                double lossT = Loss.MSE.value(fT, y);
                // w_T - w_T^lin = (cur - w0) - dw
                try (Matrix diff = cur.copy()) {
                    Vectors.axpy(-1.0, w0, diff);
                    double disp = Vectors.norm2(diff);
                    Vectors.axpy(-1.0, dw, diff);
                    return new Gap(gap, Vectors.norm2(diff) / disp, path[0], disp, lossT, lossLin);
                }
            }
        }
    }

    /** The spec with every hidden layer of width m. */
    static NetworkSpec withWidth(NetworkSpec s, int m) {
        int[] h = new int[s.hidden().length];
        Arrays.fill(h, m);
        return new NetworkSpec(s.inputDim(), h, s.outputDim(), s.activations(), s.parameterization(), s.sigmaW(),
                s.sigmaB(), s.bias(), s.trainable());
    }

    /**
     * The linearization gap ‖f_T − f_T^lin‖/‖f_T‖ for each width, averaged over nets initialized with seeds
     * seed, seed + 1, …, seed + seeds − 1 (one seed is noisy at small widths: the gap's constant varies with the draw).
     * NaN for a width at which GD diverged on some seed: there is no f_T to compare with.
     */
    public static double[] gaps(NetworkSpec spec, int[] widths, long seed, int seeds, Matrix x, Matrix y, double lr,
            long steps) {
        double[] g = new double[widths.length];
        for (int i = 0; i < widths.length; i++) {
            for (int r = 0; r < seeds && !Double.isNaN(g[i]); r++) {
                try (Network net = Network.initialize(withWidth(spec, widths[i]), seed + r)) {
                    g[i] += measure(net, x, y, lr, steps).relativeGap() / seeds;
                } catch (DivergenceException e) {
                    g[i] = Double.NaN;
                }
            }
        }
        return g;
    }

    /**
     * The least-squares fit of log g against log m ({@link LogLogFit}; only its slope is used), over the widths
     * whose gap has a logarithm; empty when fewer than two distinct such widths remain (a gap of exactly 0, a NaN
     * gap, or one width given twice), so that no NaN or infinite slope is reported as a trend.
     */
    public static Optional<LogLogFit> gapTrend(int[] widths, double[] g) {
        return LogLogFit.ofUsable(Arrays.stream(widths).asDoubleStream().toArray(), g, 0.95);
    }

    @Override
    public CheckResult run(Setup s) {
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = String.format("log-log slope of ||f_T - f_T^lin||/||f_T|| against width <= %.1f (theory: "
                + "-1/2, O(1/sqrt m)); eta = %.4g on our mse (their 1/2 sum form: eta/n = %.4g)", SLOPE_THRESHOLD, lr,
                lr / s.n());
        CheckResult.Bound bound = new CheckResult.Bound(boundText, SLOPE_THRESHOLD);
        Parameterization par = s.dense().spec().parameterization();
        if (s.loss() != Loss.MSE) {
            return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis("mse loss (the linearized model is "
                    + "least squares): " + s.loss().cliName(), false), m, bound, Conclusion.UNDECIDED,
                    "loss " + s.loss().cliName() + " is not mse");
        }
        boolean scaled = par == Parameterization.NTK || par == Parameterization.DU2019;
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis("NTK-scaled parameterization (ntk or du2019) and mse: "
                + par.cliName(), scaled);
        if (!scaled) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED, String.format(
                    "the width claim needs the NTK parameterization, got %s", par.cliName()));
        }
        Gap own;
        try {
            own = measure(s.dense(), s.x(), s.y(), lr, steps);
        } catch (DivergenceException e) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED,
                    "GD diverged at this step (" + e.getMessage() + "): no comparison");
        }
        m.put("n", (double) s.n());
        m.put("eta", lr);
        m.put("eta_paper_over_n", lr / s.n());
        m.put("width", (double) s.dense().widths()[1]);
        m.put("relative_output_gap", own.relativeGap());
        m.put("relative_weight_gap", own.weightGap());
        m.put("path_length", own.pathLength());
        m.put("displacement", own.displacement());
        m.put("path_over_displacement", own.pathRatio());
        m.put("loss_T", own.lossT());
        m.put("loss_T_linearized", own.lossLinT());
        double[] g = gaps(s.dense().spec(), widths, seed, seeds, s.x(), s.y(), lr, steps);
        Optional<LogLogFit> fit = gapTrend(widths, g);
        for (int i = 0; i < widths.length; i++) {
            m.put("gap_at_width_" + widths[i], g[i]);
        }
        StringBuilder diverged = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            if (Double.isNaN(g[i])) {
                diverged.append(diverged.length() == 0 ? " (GD diverged at width " : ", ").append(widths[i]);
            }
        }
        if (diverged.length() > 0) {
            diverged.append(": no gap there)");
        }
        String gaps = String.format("gap %s at widths %s%s", Arrays.toString(Arrays.stream(g)
                .mapToObj(v -> String.format("%.3g", v)).toArray()), Arrays.toString(widths), diverged);
        if (fit.isEmpty()) {
            // no log_log_slope then: a NaN or infinite slope would read as a (failed) trend
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED, gaps
                    + ": not enough points for a slope (need two distinct widths with a positive finite gap)");
        }
        double slope = fit.get().slope();
        m.put("log_log_slope", slope);
        String used = fit.get().points() < widths.length ? String.format(" over the %d widths with a positive finite "
                + "gap", fit.get().points()) : "";
        String trend = String.format("%s: slope %.3f%s (theory -0.5); path/displacement %.4g at width %d", gaps, slope,
                used, own.pathRatio(), s.dense().widths()[1]);
        if (slope <= SLOPE_THRESHOLD) {
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.OBSERVED, trend);
        }
        // an asymptotic O(1/sqrt m) with unstated constants: a flat slope over finite widths cannot decide it
        return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED, trend
                + "; finite widths and one seed: a flat slope does not refute an asymptotic O(1/sqrt m)");
    }

    /** The measured linearization gap against width, with the fitted log-log slope in the title. */
    @Override
    public java.util.List<Figure> figures(CheckResult r, Setup s) {
        if (!r.measured().containsKey("log_log_slope")) {
            return java.util.List.of();
        }
        java.util.List<Double> widths = new java.util.ArrayList<>();
        java.util.List<Double> gaps = new java.util.ArrayList<>();
        for (var e : r.measured().entrySet()) {
            if (e.getKey().startsWith("gap_at_width_")) {
                widths.add(Double.parseDouble(e.getKey().substring("gap_at_width_".length())));
                gaps.add(e.getValue());
            }
        }
        double[] w = widths.stream().mapToDouble(Double::doubleValue).toArray();
        double[] gap = gaps.stream().mapToDouble(Double::doubleValue).toArray();
        Figure.Builder f = Figure.builder(String.format(java.util.Locale.ROOT, "Linearization gap against width after "
                + "T=%d steps of η=%s (theory: at most ~m^−1/2)", steps, lr), "width m", "||f_T − f_T^lin|| / ||f_T||")
                .logX().logY().series("measured (mean over seeds)", w, gap);
        // the fitted power with its interval in the legend (the slope alone in the title said nothing of its spread)
        gapTrend(widths.stream().mapToInt(Double::intValue).toArray(), gap).ifPresent(t -> f.prediction(t.legend("m"),
                w, java.util.Arrays.stream(w).map(t::predict).toArray()));
        return java.util.List.of(f.build());
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new Linearization(s.lr(), s.steps(), s.trendWidths().stream().mapToInt(Integer::intValue).toArray(), s.seed(), 3);
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return new Linearization(0.5, 100, new int[] {64, 256, 1024}, 903, 3);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("ntk tanh net, n=8, d=3, width 256, widths 64/256/1024 x 3 seeds",
                () -> PresetSetups.ntkNet("tanh", 8, 3, 256, true, 903)),
                new Preset("standard parameterization (no width limit to compare with)",
                        () -> PresetSetups.smallNet("tanh", 8, 3, 256, 913),
                        s -> new Linearization(0.5, 20, new int[] {64, 256, 1024}, 913, 1)));
    }
}
