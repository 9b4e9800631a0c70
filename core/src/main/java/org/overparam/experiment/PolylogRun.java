package org.overparam.experiment;

import org.overparam.theory.WidthSearch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.stats.LogLogFit;
import org.overparam.kernel.LinearizedNet;
import org.overparam.kernel.NtrfResult;
import org.overparam.kernel.NtrfSolver;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.theory.Chen2021Bounds;

/**
 * Runs {@link PolylogConfig}: for each n, the width GD needs ({@link WidthSearch}), the test error there, ε_NTRF(R)
 * at that width and the bound of Theorem 3.5 ({@link Chen2021Bounds}); then two fits of the needed width m*(n),
 * polylog log m = a + b·log log n and power log m = a + b·log n, with their R² and RMSE (in log m).
 */
public final class PolylogRun {
    private PolylogRun() {
    }

    /** One n: the width GD needed (−1: none up to the cap) and what was measured there. */
    /**
     * One n: the width found ({@code censored} when the first width tried already succeeded, so it is only an upper
     * bound), the runs' test error and training loss there, ε_NTRF(R) at that width and the bound.
     */
    public record Point(int n, int width, boolean censored, double testError, double trainLoss, double epsNtrf,
            double epsGap, double bound) {
        /** A width measured (bracketed by a failure below it), not an upper bound or "not found". */
        public boolean measured() {
            return width > 0 && !censored;
        }

        /** Chen et al.'s hypothesis at this point: an NTRF margin, ε_NTRF(R) ≤ {@link #EPS_NTRF_MAX}. */
        public boolean ntrfHypothesisMet() {
            return epsNtrf <= EPS_NTRF_MAX;
        }
    }

    /** The hypothesis threshold on ε_NTRF(R), the same as certify's ntrf-generalization check. */
    public static final double EPS_NTRF_MAX = org.overparam.theory.NtrfGeneralization.DEFAULT_EPS_MAX;

    /**
     * The outcome: the points and the two fits (over the points with a width found).
     *
     * @param polylog   log m against log log n (m ~ (log n)^b); null with fewer than two widths found
     * @param power     log m against log n (m ~ n^b); null likewise
     * @param trained   probe runs trained by this call
     * @param fromStore probe runs read back from the store instead (not in {@link #toMap()}: a rerun's JSON
     *                  is the first run's)
     */
    public record Result(PolylogConfig config, List<Point> points, LogLogFit polylog, LogLogFit power, int trained,
            int fromStore) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            PolylogConfig c = config;
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("n", java.util.Arrays.stream(c.ns()).boxed().toList());
            cfg.put("d", c.d());
            cfg.put("gamma", c.gamma());
            cfg.put("depth", c.depth()); // the paper's L, weight matrices (kept: earlier result files have it)
            cfg.put("hidden_layers", c.depth() - 1);
            cfg.put("seeds", c.seeds());
            cfg.put("steps", c.steps());
            cfg.put("lr_constant", c.lr());
            cfg.put("target_train_loss", c.target());
            cfg.put("radius", c.radius());
            cfg.put("test_size", c.testSize());
            cfg.put("delta", c.delta());
            cfg.put("data_seed", c.dataSeed());
            cfg.put("max_width", c.maxWidth());
            cfg.put("conventions", "chen2021: f = sqrt(m) W_L relu(... W_1 x), W_l ~ N(0,2/m), W_L ~ N(0,1/m); logistic "
                    + "loss (1/n) sum log(1+exp(-y f)); eta = lr/(L m); NTRF ball ||W_l - W_l0||_F <= R/sqrt(m); bound = "
                    + "2 eps_NTRF + 4^L L^2 R/sqrt(n) + sqrt(log(1/delta)/n), constants 1 (order only)");
            m.put("config", cfg);
            List<Object> pts = new ArrayList<>();
            for (Point p : points) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("n", p.n());
                q.put("width", p.width());
                q.put("censored", p.censored());
                q.put("test_error", p.testError());
                q.put("train_loss", p.trainLoss());
                q.put("eps_ntrf", p.epsNtrf());
                q.put("eps_ntrf_gap", p.epsGap());
                q.put("ntrf_hypothesis_met", p.ntrfHypothesisMet());
                q.put("bound", p.bound());
                pts.add(q);
            }
            m.put("points", pts);
            m.put("fit_polylog", fit(polylog, "log m = a + b log log n (m ~ (log n)^b)"));
            m.put("fit_power", fit(power, "log m = a + b log n (m ~ n^b)"));
            m.put("better_fit", better());
            m.put("power_exponent_at_most", Double.isNaN(powerExponentAtMost()) ? null : powerExponentAtMost());
            m.put("eps_ntrf_max", EPS_NTRF_MAX);
            m.put("warnings", warnings());
            return m;
        }

        /** Below this R² neither fit explains the widths: no trend to attribute. */
        public static final double MIN_R2 = 0.5;

        /**
         * "polylog" or "power" by the larger R² (both fit the same log m with two parameters, so this is the
         * smaller residual); "undetermined" with fewer than 3 widths found (two points fit both exactly); "no trend"
         * when both R² are below {@link #MIN_R2} — then the power fit's interval still bounds how fast the width can
         * grow (see {@link #powerExponentAtMost()}).
         */
        public String better() {
            if (points.stream().filter(Point::measured).count() < 3 || polylog == null
                    || Double.isNaN(polylog.rSquared()) || Double.isNaN(power.rSquared())) {
                return "undetermined";
            }
            if (polylog.rSquared() < MIN_R2 && power.rSquared() < MIN_R2) {
                return "no trend";
            }
            return polylog.rSquared() > power.rSquared() ? "polylog" : polylog.rSquared() < power.rSquared() ? "power" : "tie";
        }

        /**
         * The upper end of the power exponent's 95 % interval, "the widths grow no faster than n^this": NaN (no
         * statement) unless at least three widths were measured and the power fit explains them (R² ≥ {@link #MIN_R2});
         * an interval from a fit that explains nothing, or from widths without variance, says nothing about growth.
         */
        public double powerExponentAtMost() {
            return MinimalWidth.trendSupported(power) ? power.ciHigh() : Double.NaN;
        }

        /** What a reader must know before reading the widths: upper bounds, and where the hypothesis fails. */
        public List<String> warnings() {
            List<String> w = new ArrayList<>();
            List<Integer> censored = points.stream().filter(Point::censored).map(Point::n).distinct().toList();
            if (!censored.isEmpty()) {
                w.add("at n = " + censored + " the first width tried (" + config.startWidth() + ") already reached the "
                        + "target: only an upper bound, left out of the fits; lower --start-width to measure it");
            }
            List<Integer> noMargin = points.stream().filter(p -> !p.ntrfHypothesisMet()).map(Point::n).distinct().toList();
            if (!noMargin.isEmpty()) {
                w.add("at n = " + noMargin + " eps_NTRF(R) exceeds " + EPS_NTRF_MAX + " at the width found: Chen et al.'s "
                        + "hypothesis (an NTRF margin) is not met there, so their bound does not apply");
            }
            return w;
        }

        private static Map<String, Object> fit(LogLogFit f, String model) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            if (f == null) {
                m.put("exponent_b", null);
                m.put("note", "fewer than two widths found");
                return m;
            }
            m.put("exponent_b", f.slope());
            m.put("intercept_a", f.intercept());
            m.put("exponent_ci", java.util.Arrays.asList(f.ciLow(), f.ciHigh()));
            m.put("ci_level", f.level());
            m.put("r2", f.rSquared());
            return m;
        }
    }

    /** The bisection's relative resolution: the width is found to 10 %. */
    public static final double RESOLUTION = 0.1;

    /**
     * For each n, the smallest width found by {@link WidthSearch} (the geometric grid from the config's start
     * width and factor up to its cap, then bisection to 10 %) at which every seed reaches the target.
     *
     * <p>The probes are ordinary training runs ({@link #probe}) searched by {@link MinimalWidth#search} through
     * {@link StoredProbes}: the probes of every unfinished n go out in one batch, trained by {@link SweepRun} on
     * {@code workers} threads and stored in {@code store}, so a rerun reads them back instead of training. ε_NTRF
     * and the bound are computed here, on the same training data as the runs.
     */
    public static Result execute(PolylogConfig c, ResultsStore store, int workers, Path runsDir, Consumer<String> log) {
        List<Integer> ns = java.util.Arrays.stream(c.ns()).distinct().boxed().toList();
        StoredProbes probes = new StoredProbes(store, workers, c.seeds(), (r, seed) -> probe(c, r.n(), r.width(), seed,
                runsDir));
        // the runs of every probe, kept for the point at the width found (which the search has always probed)
        Map<MinimalWidth.Request, List<Map<String, Object>>> runs = new java.util.HashMap<>();
        MinimalWidth.Prober prober = batch -> {
            List<List<Map<String, Object>>> sums = probes.summaries(batch);
            for (int i = 0; i < batch.size(); i++) {
                runs.put(batch.get(i), sums.get(i));
            }
            return StoredProbes.reachedCounts(sums);
        };
        // a sweep leaves BLAS and the elementwise pool at one thread; ε_NTRF is computed with the counts it had
        // before, as it was when polylog trained in-process
        int blasThreads = org.overparam.linalg.Blas.threads();
        int poolThreads = org.overparam.linalg.Parallel.threads();
        Map<Integer, WidthSearch> searches;
        try {
            // success: every seed reaches the target (a diverged run does not)
            searches = MinimalWidth.search(ns, () -> new WidthSearch(c.startWidth(), c.widthFactor(), c.maxWidth(),
                    RESOLUTION), c.seeds(), c.seeds(), prober, log);
            List<MinimalWidth.Request> missing = ns.stream().map(n -> new MinimalWidth.Request(n, measuredWidth(c,
                    searches.get(n)))).filter(r -> !runs.containsKey(r)).toList();
            if (!missing.isEmpty()) {
                prober.successes(missing);
            }
        } finally {
            org.overparam.linalg.Blas.setThreads(blasThreads);
            org.overparam.linalg.Parallel.setThreads(poolThreads);
        }
        List<Point> points = new ArrayList<>();
        Map<Integer, Point> byN = new LinkedHashMap<>();
        for (int n : c.ns()) {
            Point known = byN.get(n);
            if (known != null) { // a size listed twice: the same point again
                points.add(known);
                continue;
            }
            int width = searches.get(n).minimalWidth().orElse(-1);
            int at = measuredWidth(c, searches.get(n));
            double[] r = measure(runs.get(new MinimalWidth.Request(n, at)), c.seeds());
            NtrfResult eps;
            LoadedData data = DataLoader.load(probe(c, n, at, 0, runsDir));
            try (Network net = Network.initialize(NetworkSpec.chen2021(c.d(), at, c.depth()), 0);
                    LinearizedNet lin = new LinearizedNet(net, data.x())) {
                eps = NtrfSolver.defaults().solve(lin, data.y(), c.radius(), null);
            } finally {
                for (Matrix m : new Matrix[] {data.x(), data.y(), data.testX(), data.testY()}) {
                    m.close();
                }
            }
            double bound = Chen2021Bounds.testError(eps.objective(), c.depth(), c.radius(), n, c.delta());
            boolean censored = searches.get(n).status() == WidthSearch.Status.AT_FIRST_PROBE;
            Point p = new Point(n, width, censored, r == null ? Double.NaN : r[0], r == null ? Double.NaN : r[1], eps.objective(),
                    eps.gap(), bound);
            log.accept(String.format("n=%d: width needed %d, test error %.4f, eps_NTRF(R=%.3g) = %.4g (gap %.1e), "
                    + "bound %.4g", n, width, p.testError(), c.radius(), p.epsNtrf(), p.epsGap(), bound));
            points.add(p);
            byN.put(n, p);
        }
        // upper bounds (success at the first width tried) are not measurements: they stay out of the fits
        List<Point> found = points.stream().filter(Point::measured).toList();
        if (found.stream().mapToInt(Point::n).distinct().count() < 2) {
            return new Result(c, points, null, null, probes.trained(), probes.fromStore());
        }
        double[] logn = found.stream().mapToDouble(p -> Math.log(p.n())).toArray();
        double[] n = found.stream().mapToDouble(Point::n).toArray();
        double[] m = found.stream().mapToDouble(Point::width).toArray();
        // LogLogFit takes logs of both: x = log n gives log m against log log n
        return new Result(c, points, LogLogFit.of(logn, m, 0.95), LogLogFit.of(n, m, 0.95), probes.trained(),
                probes.fromStore());
    }

    /** Where a point is measured: the width found, or the cap when none was. */
    private static int measuredWidth(PolylogConfig c, WidthSearch s) {
        return s.minimalWidth().orElse(c.maxWidth());
    }

    /**
     * The runs of one probe, seed by seed: {mean test error, max final training loss}; null if a run diverged
     * (its test error and loss mean nothing).
     */
    private static double[] measure(List<Map<String, Object>> runs, int seeds) {
        double test = 0;
        double worst = 0;
        for (Map<String, Object> s : runs) {
            if (!"completed".equals(s.get("status"))) {
                return null;
            }
            worst = Math.max(worst, ((Number) s.get("final_loss")).doubleValue());
            // summed in seed order, divided per seed, as the in-process loop did: the same double
            test += (1 - ((Number) s.get("final_test_accuracy")).doubleValue()) / seeds;
        }
        return new double[] {test, worst};
    }

    /**
     * The training run of one seed at (n, width), as {@code overparam train} would run it: chen2021 with L − 1
     * hidden layers of width m (ReLU, no bias), logistic loss, full-batch GD with η = lr/(L m) for at most
     * {@code steps} steps, stopping at the first step with training loss ≤ target. Training data: the first n
     * points of the margin stream ({@code margin:n=N,...}); test data: the {@code testSize} points after the
     * largest n ({@code skip=maxN}), the same for every n. Recorded at the first and last step only (record_every
     * = steps), so every other step folds the update into the gradient GEMMs as the in-process loop did.
     * Folder {@code runsDir/<first 16 hex digits of its hash>}, one BLAS thread.
     */
    static RunConfig probe(PolylogConfig c, int n, int width, int seed, Path runsDir) {
        Map<String, Object> m = RunConfig.defaults().toMap();
        m.put("dataset", margin(c, n, 0));
        m.put("test_dataset", margin(c, c.testSize(), c.maxN()));
        m.put("hidden", String.join(",", java.util.Collections.nCopies(c.depth() - 1, Integer.toString(width))));
        m.put("activation", "relu");
        m.put("parameterization", "chen2021");
        m.put("bias", false);
        m.put("loss", "logistic");
        m.put("optimizer", "gd");
        m.put("lr", Chen2021Bounds.stepSize(c.lr(), c.depth(), width));
        m.put("steps", c.steps());
        m.put("record_every", (int) Math.max(1, Math.min(c.steps(), Integer.MAX_VALUE)));
        m.put("seed", (long) seed);
        m.put("target_loss", c.target());
        return SweepRun.placed(RunConfig.fromMap(m, "polylog"), runsDir);
    }

    /** The margin spec of {@code n} points after the first {@code skip} of the config's stream. */
    private static String margin(PolylogConfig c, int n, int skip) {
        return "margin:n=" + n + ",d=" + c.d() + ",gamma=" + c.gamma() + ",seed=" + c.dataSeed()
                + (skip > 0 ? ",skip=" + skip : "");
    }

    /**
     * Writes DIR/polylog.json, DIR/polylog-width.svg/.png/.pdf (m*(n), its upper bounds, and the fits that explain
     * the widths) and DIR/polylog-error.svg.
     */
    public static void write(Result r, Path dir) {
        try {
            OutputFolder.claimWorkingFolder(dir, "polylog");
            org.overparam.io.Json.write(r.toMap(), dir.resolve("polylog.json"));
            List<Point> found = r.points().stream().filter(Point::measured).toList();
            List<Point> bounds = r.points().stream().filter(Point::censored).toList();
            double[] n = found.stream().mapToDouble(Point::n).toArray();
            double[] w = found.stream().mapToDouble(Point::width).toArray();
            int k = 50;
            double lo = r.points().stream().mapToDouble(Point::n).min().orElse(1);
            double hi = r.points().stream().mapToDouble(Point::n).max().orElse(2);
            double[] grid = new double[k];
            double[] poly = new double[k];
            double[] pow = new double[k];
            for (int i = 0; i < k; i++) {
                grid[i] = lo * Math.pow(hi / lo, i / (k - 1.0));
                if (r.polylog() != null) {
                    poly[i] = r.polylog().predict(Math.log(grid[i]));
                    pow[i] = r.power().predict(grid[i]);
                }
            }
            // measured widths as markers, upper bounds as down triangles never joined to them, and a fit only where
            // it explains the widths (R^2 >= MIN_R2): a line through scatter would claim a trend the points lack
            org.overparam.report.PaperChart width = org.overparam.report.PaperChart.of(String.format(
                    java.util.Locale.ROOT, "Width GD needed, chen2021 on margin data, L=%d", r.config().depth()), "n",
                    "smallest width m reaching the target").logX().logY()
                    .add("measured m*(n)", n, w, org.overparam.report.PaperChart.Kind.MEASURED);
            if (!bounds.isEmpty()) {
                width.add("m*(n) <= first width tried (upper bound, not fitted)",
                        bounds.stream().mapToDouble(Point::n).toArray(), bounds.stream().mapToDouble(Point::width).toArray(),
                        org.overparam.report.PaperChart.Kind.CENSORED);
            }
            if (r.polylog() != null && r.polylog().rSquared() >= Result.MIN_R2) {
                width.add(String.format(java.util.Locale.ROOT, "%s, R² %.2f", r.polylog().legend("(log n)"),
                        r.polylog().rSquared()),
                        grid, poly, org.overparam.report.PaperChart.Kind.PREDICTION);
            }
            if (r.power() != null && r.power().rSquared() >= Result.MIN_R2) {
                width.add(String.format(java.util.Locale.ROOT, "%s, R² %.2f", r.power().legend("n"),
                        r.power().rSquared()), grid, pow,
                        org.overparam.report.PaperChart.Kind.PREDICTION);
            }
            width.write(dir.resolve("polylog-width"));
            double[] all = r.points().stream().mapToDouble(Point::n).toArray();
            // a test error of 0 has no logarithm: drawn as "below 1e-4" (a down triangle there), not as a measurement
            double floor = 1e-4;
            List<Point> zero = r.points().stream().filter(p -> p.testError() < floor).toList();
            List<Point> seen = r.points().stream().filter(p -> p.testError() >= floor).toList();
            org.overparam.report.PaperChart error = org.overparam.report.PaperChart.of(String.format(
                    java.util.Locale.ROOT, "Test error against Chen et al.'s bound (order only), L=%d",
                    r.config().depth()), "n (training points)", "test error (0-1, held-out points)").logX().logY()
                    .integerX()
                    .add("measured test error", seen.stream().mapToDouble(Point::n).toArray(),
                            seen.stream().mapToDouble(Point::testError).toArray(),
                            org.overparam.report.PaperChart.Kind.MEASURED);
            if (!zero.isEmpty()) {
                error.addInColourOf("measured test error", "test error < 1e-4 (none wrong)",
                        zero.stream().mapToDouble(Point::n).toArray(), zero.stream().mapToDouble(p -> floor).toArray(),
                        org.overparam.report.PaperChart.Kind.CENSORED);
            }
            error.add("bound 2ε + 4^L L² R/√n + √(log(1/δ)/n)", all, r.points().stream().mapToDouble(Point::bound)
                    .toArray(), org.overparam.report.PaperChart.Kind.BOUND).write(dir.resolve("polylog-error"));
        } catch (IOException e) {
            throw new InputError("cannot write to " + dir + " (" + e.getMessage() + ")");
        }
    }
}
