package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.overparam.experiment.PolylogConfig;
import org.overparam.experiment.PolylogRun;
import org.overparam.experiment.ResultsStore;
import org.overparam.report.PaperChart;

/**
 * Chen, Cao, Zou &amp; Gu, ICLR 2021: under an NTRF margin the width GD needs grows only polylogarithmically in n
 * (their Theorem 3.3: m* = Õ(poly(R, L))·log^{4/3}(n/δ)), where earlier analyses asked for a power of n. Measured with
 * {@code overparam polylog}'s study ({@link PolylogRun#execute}: for each n the smallest width at which every seed
 * reaches the target training loss, found by a geometric search and bisection; ε_NTRF(R) at that width; the
 * Theorem 3.5 bound, constants 1). The constants of Theorem 3.3 are not stated, so its width is drawn as a shape
 * through the first measured width (dashed), never as a bound; earlier work's n² (Oymak &amp; Soltanolkotabi 2020,
 * order only, as in {@link org.overparam.theory.WidthDemanded}) is drawn dotted, as the bound it is.
 */
final class ChenNtrf implements Reproduction {
    private record Size(int[] ns, int seeds) {
    }

    private static final Size QUICK = new Size(new int[] {50, 100, 200, 400, 800, 1600}, 2);
    private static final Size FULL = new Size(new int[] {50, 100, 200, 400, 800, 1600, 3200, 6400}, 3);

    static final int D = 10;
    static final double GAMMA = 0.1;
    /** L, the number of weight matrices (one hidden layer). */
    static final int DEPTH = 2;
    static final long STEPS = 400;
    static final double LR = 2.0;
    static final double TARGET = 0.05;
    /** R of the NTRF class: large enough that ε_NTRF(R) falls below 0.1 at some of the (small) widths found. */
    static final double RADIUS = 32;
    static final double DELTA = 0.1;

    @Override
    public String id() {
        return "chen2021-ntrf";
    }

    @Override
    public String paper() {
        return "Chen, Cao, Zou & Gu (2021), How much over-parameterization is sufficient to learn deep ReLU networks?, "
                + "ICLR (Theorems 3.3 and 3.5, the NTRF-margin case of Section 4)";
    }

    @Override
    public String finding() {
        return "When the data have a margin in the neural tangent random feature (NTRF) class, GD on a deep ReLU net "
                + "reaches a small training loss and generalizes once the width is polylogarithmic in n "
                + "(m* = Õ(poly(R, L))·log^{4/3}(n/δ)), where earlier analyses asked for a polynomial in n.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    static PolylogConfig config(boolean quick) {
        Size s = size(quick);
        return new PolylogConfig(s.ns(), D, GAMMA, DEPTH, s.seeds(), STEPS, LR, TARGET, RADIUS, 1000, DELTA, 0, 2,
                Math.sqrt(2), 512);
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %s points of margin:d=%d,gamma=%.2g (unit sphere, linearly separable "
                + "with margin γ, nested sets), 1000 test points from the same pool; chen2021 net f = √m·W_2 relu(W_1 x) "
                + "(L = %d, no bias), logistic loss, full-batch GD with η = %.0f/(L m) for at most %d steps; m*(n) = the "
                + "smallest width at which all %d seeds reach training loss ≤ %.2g (widths 2, 2√2, 4, … ≤ 512, then "
                + "bisection to 10 %%; success at the first width is only an upper bound); ε_NTRF(R = %.0f) at that "
                + "width (hypothesis: ≤ %.1f); Theorem 3.5's bound 2ε_NTRF + 4^L L² R/√n + √(log(1/δ)/n) with its "
                + "unstated constants set to 1, δ = %.1f (overparam polylog's study)",
                Arrays.toString(s.ns()), D, GAMMA, DEPTH, LR, STEPS, s.seeds(), TARGET, RADIUS,
                PolylogRun.EPS_NTRF_MAX, DELTA);
    }

    @Override
    public String fullTime() {
        return "about 1.5 min on 2 cores (measured while shared with other runs)";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        PolylogConfig c = config(quick);
        Path runs = dir.resolve("runs");
        PolylogRun.Result r;
        try {
            java.nio.file.Files.createDirectories(runs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ResultsStore store = ResultsStore.open(runs.resolve("results.duckdb"))) {
            r = PolylogRun.execute(c, store, threads, runs, line -> log.accept(id() + ": " + line));
        }
        List<PolylogRun.Point> pts = r.points();
        List<PolylogRun.Point> met = pts.stream().filter(p -> p.measured() && p.ntrfHypothesisMet()).toList();
        List<PolylogRun.Point> notMet = pts.stream().filter(p -> p.measured() && !p.ntrfHypothesisMet()).toList();
        List<PolylogRun.Point> censored = pts.stream().filter(PolylogRun.Point::censored).toList();
        List<PolylogRun.Point> found = pts.stream().filter(PolylogRun.Point::measured).toList();
        double[] all = pts.stream().mapToDouble(PolylogRun.Point::n).toArray();
        double lo = Arrays.stream(all).min().orElse(1);
        double hi = Arrays.stream(all).max().orElse(2);
        int k = 50;
        double[] grid = new double[k];
        for (int i = 0; i < k; i++) {
            grid[i] = lo * Math.pow(hi / lo, i / (k - 1.0));
        }
        String fixed = String.format(Locale.ROOT, "margin γ=%.2g, d=%d, L=%d, target %.2g", GAMMA, D, DEPTH, TARGET);
        try {
            PaperChart width = PaperChart.of("Width GD needed against n, " + fixed, "training points n",
                    "smallest width m reaching the target").logX().logY();
            add(width, "m*, ε_NTRF ≤ " + PolylogRun.EPS_NTRF_MAX, met,
                    PaperChart.Kind.POINTS);
            add(width, "m*, ε_NTRF > " + PolylogRun.EPS_NTRF_MAX, notMet,
                    PaperChart.Kind.POINTS);
            add(width, "m* ≤ (censored)", censored, PaperChart.Kind.CENSORED);
            if (r.polylog() != null && r.polylog().rSquared() >= PolylogRun.Result.MIN_R2) {
                width.add(String.format(Locale.ROOT, "%s, R² %.2f", r.polylog().legend("(log n)"),
                        r.polylog().rSquared()), grid, Arrays.stream(grid).map(n -> r.polylog().predict(Math.log(n)))
                        .toArray(), PaperChart.Kind.PREDICTION);
            }
            if (r.power() != null && r.power().rSquared() >= PolylogRun.Result.MIN_R2) {
                width.add(String.format(Locale.ROOT, "%s, R² %.2f", r.power().legend("n"), r.power().rSquared()),
                        grid, Arrays.stream(grid).map(n -> r.power().predict(n)).toArray(), PaperChart.Kind.PREDICTION);
            }
            if (!found.isEmpty()) {
                PolylogRun.Point first = found.get(0);
                double scale = first.width() / shape(first.n());
                width.add("log^{4/3}(n/δ), Thm 3.3", grid,
                        Arrays.stream(grid).map(n -> scale * shape(n)).toArray(), PaperChart.Kind.PREDICTION);
            }
            width.add("n², earlier work", grid,
                    Arrays.stream(grid).map(n -> n * n).toArray(), PaperChart.Kind.BOUND);
            width.write(dir.resolve("chen2021-width"));
            double[] test = pts.stream().mapToDouble(p -> Math.max(p.testError(), 1e-4)).toArray();
            PaperChart.of("Test error at the width found, " + fixed, "training points n",
                    "0-1 test error, 1000 points (floor 1e-4)").logX().logY()
                    .add("measured (mean over seeds)", all, test, PaperChart.Kind.MEASURED)
                    .add("Thm 3.5 bound, constants 1 (order only)", all,
                            pts.stream().mapToDouble(PolylogRun.Point::bound).toArray(), PaperChart.Kind.BOUND)
                    .write(dir.resolve("chen2021-error"));
            Runs.csv(dir.resolve("chen2021-ntrf.csv"), List.of("n", "width", "censored", "ntrf_margin_met",
                    "test_error", "train_loss", "eps_ntrf", "eps_ntrf_gap", "bound_thm35"), List.of(all,
                    pts.stream().mapToDouble(PolylogRun.Point::width).toArray(),
                    pts.stream().mapToDouble(p -> p.censored() ? 1 : 0).toArray(),
                    pts.stream().mapToDouble(p -> p.ntrfHypothesisMet() ? 1 : 0).toArray(),
                    pts.stream().mapToDouble(PolylogRun.Point::testError).toArray(),
                    pts.stream().mapToDouble(PolylogRun.Point::trainLoss).toArray(),
                    pts.stream().mapToDouble(PolylogRun.Point::epsNtrf).toArray(),
                    pts.stream().mapToDouble(PolylogRun.Point::epsGap).toArray(),
                    pts.stream().mapToDouble(PolylogRun.Point::bound).toArray()));
            return new Outcome(List.of("chen2021-width", "chen2021-error"), List.of("chen2021-ntrf.csv"),
                    comparison(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** log^{4/3}(n/δ), the n-dependence of Theorem 3.3's width. */
    static double shape(double n) {
        return Math.pow(Math.log(n / DELTA), 4.0 / 3.0);
    }

    private static void add(PaperChart c, String name, List<PolylogRun.Point> pts, PaperChart.Kind kind) {
        c.add(name, pts.stream().mapToDouble(PolylogRun.Point::n).toArray(),
                pts.stream().mapToDouble(PolylogRun.Point::width).toArray(), kind);
    }

    static String comparison(PolylogRun.Result r) {
        List<PolylogRun.Point> pts = r.points();
        StringBuilder b = new StringBuilder();
        b.append("m*(n) = ");
        b.append(String.join(", ", pts.stream().map(p -> (p.censored() ? "≤" : "") + (p.width() > 0 ? p.width()
                : "none ≤ " + r.config().maxWidth()) + " at n = " + p.n()).toList()));
        b.append(String.format(Locale.ROOT, ". ε_NTRF(R = %.0f) at the width found: %s (hypothesis met at n = %s). ",
                r.config().radius(), Trend.fmt(pts.stream().mapToDouble(PolylogRun.Point::epsNtrf).toArray(), "%.3f"),
                pts.stream().filter(PolylogRun.Point::ntrfHypothesisMet).map(PolylogRun.Point::n).toList()));
        if (r.polylog() != null) {
            b.append(String.format(Locale.ROOT, "Fits over the measured widths: polylog exponent %.2f (R² %.2f), power "
                    + "exponent %.2f (R² %.2f). ", r.polylog().slope(), r.polylog().rSquared(), r.power().slope(),
                    r.power().rSquared()));
        }
        int maxN = r.config().maxN();
        b.append(String.format(Locale.ROOT, "Earlier analyses' n² would be %.2g at n = %d; Theorem 3.5's bound "
                + "(constants 1) is %s. ", (double) maxN * maxN, maxN,
                Trend.fmt(pts.stream().mapToDouble(PolylogRun.Point::bound).toArray(), "%.3g")));
        b.append(verdict(r.better(), widthRange(r), r.powerExponentAtMost()));
        long met = pts.stream().filter(p -> p.measured() && p.ntrfHypothesisMet()).count();
        long measured = pts.stream().filter(PolylogRun.Point::measured).count();
        if (met < measured) {
            b.append(String.format(Locale.ROOT, " The NTRF-margin hypothesis (ε_NTRF(R) ≤ %.1f at the width found) "
                    + "holds at %d of the %d measured sizes only: the theorem speaks for those points alone.",
                    PolylogRun.EPS_NTRF_MAX, met, measured));
        }
        return b.toString();
    }

    private static int[] widthRange(PolylogRun.Result r) {
        int[] w = r.points().stream().filter(PolylogRun.Point::measured).mapToInt(PolylogRun.Point::width).toArray();
        return w.length == 0 ? new int[0] : new int[] {Arrays.stream(w).min().getAsInt(), Arrays.stream(w).max()
                .getAsInt()};
    }

    /** The comparison with the paper, from PolylogRun's reading of the fits. */
    static String verdict(String better, int[] range, double powerAtMost) {
        String bound = Double.isNaN(powerAtMost) ? "" : String.format(Locale.ROOT, " The widths grow no faster than "
                + "n^%.2f (upper end of the power exponent's 95%% interval).", powerAtMost);
        return switch (better) {
            case "undetermined" -> "Fewer than three widths measured: no statement on the growth.";
            case "no trend" -> String.format(Locale.ROOT, "Consistent with the paper, though it cannot tell polylog "
                    + "from constant: the width GD needed stays between %d and %d and does not grow with n (R² of both "
                    + "fits below %.1f), orders of magnitude below a polynomial width.", range[0], range[1],
                    PolylogRun.Result.MIN_R2) + bound;
            case "polylog" -> "As in the paper: a power of log n explains the widths better than a power of n." + bound;
            default -> "Not as in the paper: a power of n explains the widths at least as well as a power of log n."
                    + bound;
        };
    }
}
