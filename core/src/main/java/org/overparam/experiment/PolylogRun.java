package org.overparam.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.stats.LogLogFit;
import org.overparam.data.Dataset;
import org.overparam.data.Synthetic;
import org.overparam.kernel.LinearizedNet;
import org.overparam.kernel.NtrfResult;
import org.overparam.kernel.NtrfSolver;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.report.LinePlot;
import org.overparam.theory.Chen2021Bounds;
import org.overparam.train.GdToTarget;
import org.overparam.train.Loss;

/**
 * Runs {@link PolylogConfig}: for each n, the width GD needs ({@link WidthSearch}), the test error there, ε_NTRF(R)
 * at that width and the bound of Theorem 3.5 ({@link Chen2021Bounds}); then two fits of the needed width m*(n),
 * polylog log m = a + b·log log n and power log m = a + b·log n, with their R² and RMSE (in log m).
 */
public final class PolylogRun {
    private PolylogRun() {
    }

    /** One n: the width GD needed (−1: none up to the cap) and what was measured there. */
    public record Point(int n, int width, double testError, double trainLoss, double epsNtrf, double epsGap,
            double bound) {
    }

    /** The outcome: the points and the two fits (over the points with a width found). */
    /**
     * @param polylog log m against log log n (m ~ (log n)^b); null with fewer than two widths found
     * @param power   log m against log n (m ~ n^b); null likewise
     */
    public record Result(PolylogConfig config, List<Point> points, LogLogFit polylog, LogLogFit power) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            PolylogConfig c = config;
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("n", java.util.Arrays.stream(c.ns()).boxed().toList());
            cfg.put("d", c.d());
            cfg.put("gamma", c.gamma());
            cfg.put("depth", c.depth());
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
                q.put("test_error", p.testError());
                q.put("train_loss", p.trainLoss());
                q.put("eps_ntrf", p.epsNtrf());
                q.put("eps_ntrf_gap", p.epsGap());
                q.put("bound", p.bound());
                pts.add(q);
            }
            m.put("points", pts);
            m.put("fit_polylog", fit(polylog, "log m = a + b log log n (m ~ (log n)^b)"));
            m.put("fit_power", fit(power, "log m = a + b log n (m ~ n^b)"));
            m.put("better_fit", better());
            m.put("power_exponent_at_most", powerExponentAtMost());
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
            if (points.stream().filter(p -> p.width() > 0).count() < 3 || polylog == null
                    || Double.isNaN(polylog.rSquared()) || Double.isNaN(power.rSquared())) {
                return "undetermined";
            }
            if (polylog.rSquared() < MIN_R2 && power.rSquared() < MIN_R2) {
                return "no trend";
            }
            return polylog.rSquared() > power.rSquared() ? "polylog" : polylog.rSquared() < power.rSquared() ? "power" : "tie";
        }

        /** The upper end of the power exponent's 95 % interval: widths grow no faster than n^this (NaN: no fit). */
        public double powerExponentAtMost() {
            return power == null ? Double.NaN : power.ciHigh();
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

    /**
     * For each n, the smallest width found by {@link WidthSearch} (the geometric grid from the config's start
     * width and factor up to its cap, then bisection to 10 %) at which every seed reaches the target.
     */
    public static Result execute(PolylogConfig c, Consumer<String> log) {
        int nMax = c.maxN();
        Dataset pool = Synthetic.twoClassMargin(nMax + c.testSize(), c.d(), c.gamma(), c.dataSeed());
        Matrix all = Matrix.of(nMax + c.testSize(), c.d(), pool.x().data());
        Matrix labels = Matrix.of(nMax + c.testSize(), 1, pool.y().data());
        Matrix testX = all.rowBlock(nMax, nMax + c.testSize());
        Matrix testY = labels.rowBlock(nMax, nMax + c.testSize());
        List<Point> points = new ArrayList<>();
        for (int n : c.ns()) {
            Matrix x = all.rowBlock(0, n);
            Matrix y = labels.rowBlock(0, n);
            Map<Integer, double[]> measured = new LinkedHashMap<>();
            WidthSearch search = new WidthSearch(c.startWidth(), c.widthFactor(), c.maxWidth(), 0.1);
            for (var next = search.next(); next.isPresent(); next = search.next()) {
                int m = next.getAsInt();
                double[] r = trainAll(c, x, y, testX, testY, m);
                boolean ok = r != null && r[2] > 0;
                log.accept(String.format("n=%d m=%d: %s (max final loss %.4g, mean test error %.4f)", n, m,
                        ok ? "reached" : "missed", r == null ? Double.NaN : r[1], r == null ? Double.NaN : r[0]));
                measured.put(m, r);
                search.record(new WidthSearch.Probe(m, r == null ? 0 : (int) r[3], c.seeds(), ok));
            }
            int width = search.minimalWidth().orElse(-1);
            int at = width > 0 ? width : c.maxWidth();
            double[] r = measured.containsKey(at) ? measured.get(at) : trainAll(c, x, y, testX, testY, at);
            NtrfResult eps;
            try (Network net = Network.initialize(NetworkSpec.chen2021(c.d(), at, c.depth()), 0);
                    LinearizedNet lin = new LinearizedNet(net, x)) {
                eps = NtrfSolver.defaults().solve(lin, y, c.radius(), null);
            }
            double bound = Chen2021Bounds.testError(eps.objective(), c.depth(), c.radius(), n, c.delta());
            Point p = new Point(n, width, r == null ? Double.NaN : r[0], r == null ? Double.NaN : r[1], eps.objective(),
                    eps.gap(), bound);
            log.accept(String.format("n=%d: width needed %d, test error %.4f, eps_NTRF(R=%.3g) = %.4g (gap %.1e), "
                    + "bound %.4g", n, width, p.testError(), c.radius(), p.epsNtrf(), p.epsGap(), bound));
            points.add(p);
        }
        List<Point> found = points.stream().filter(p -> p.width() > 0).toList();
        if (found.stream().mapToInt(Point::n).distinct().count() < 2) {
            return new Result(c, points, null, null);
        }
        double[] logn = found.stream().mapToDouble(p -> Math.log(p.n())).toArray();
        double[] n = found.stream().mapToDouble(Point::n).toArray();
        double[] m = found.stream().mapToDouble(Point::width).toArray();
        // LogLogFit takes logs of both: x = log n gives log m against log log n
        return new Result(c, points, LogLogFit.of(logn, m, 0.95), LogLogFit.of(n, m, 0.95));
    }

    /**
     * GD on every seed at width m: {mean test error, max final training loss, 1 if every seed reached the target,
     * how many seeds reached it};
     * null if a run diverged.
     */
    private static double[] trainAll(PolylogConfig c, Matrix x, Matrix y, Matrix testX, Matrix testY, int m) {
        double lr = Chen2021Bounds.stepSize(c.lr(), c.depth(), m);
        double test = 0;
        double worst = 0;
        boolean all = true;
        int reached = 0;
        for (int s = 0; s < c.seeds(); s++) {
            try (Network net = Network.initialize(NetworkSpec.chen2021(c.d(), m, c.depth()), s)) {
                GdToTarget.Outcome o = GdToTarget.run(net, x, y, Loss.LOGISTIC, lr, c.steps(), c.target());
                if (o.diverged()) {
                    return null;
                }
                all &= o.reached();
                reached += o.reached() ? 1 : 0;
                worst = Math.max(worst, o.finalLoss());
                try (Matrix out = net.predict(testX)) {
                    test += (1 - Loss.LOGISTIC.accuracy(out, testY)) / c.seeds();
                }
            }
        }
        return new double[] {test, worst, all ? 1 : 0, reached};
    }

    /** Writes DIR/polylog.json, DIR/polylog-width.svg (m*(n) and both fits) and DIR/polylog-error.svg. */
    public static void write(Result r, Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            org.overparam.io.Json.write(r.toMap(), dir.resolve("polylog.json"));
            List<Point> found = r.points().stream().filter(p -> p.width() > 0).toList();
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
            LinePlot.Builder width = LinePlot.builder().title("width GD needed vs n (chen2021, margin data)")
                    .xLabel("n").yLabel("width m").logX(true).logY(true).series("measured m*(n)", n, w);
            if (r.polylog() != null) {
                width.series(String.format("polylog fit (log n)^%.2f, R2 %.3f", r.polylog().slope(), r.polylog().rSquared()),
                        grid, poly).series(String.format("power fit n^%.2f, R2 %.3f", r.power().slope(),
                                r.power().rSquared()), grid, pow);
            }
            width.build().write(dir.resolve("polylog-width.svg"));
            double[] all = r.points().stream().mapToDouble(Point::n).toArray();
            LinePlot.builder().title("test error vs Chen et al. bound (order only)").xLabel("n").yLabel("0-1 error")
                    .logX(true).logY(true)
                    .series("measured test error (floored at 1e-4)", all, r.points().stream().mapToDouble(p -> Math.max(p.testError(), 1e-4))
                            .toArray())
                    .series("bound 2eps + 4^L L^2 R/sqrt(n) + sqrt(log(1/delta)/n)", all,
                            r.points().stream().mapToDouble(Point::bound).toArray())
                    .build().write(dir.resolve("polylog-error.svg"));
        } catch (IOException e) {
            throw new InputError("cannot write to " + dir + " (" + e.getMessage() + ")");
        }
    }
}
