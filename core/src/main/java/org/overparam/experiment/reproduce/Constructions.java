package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.data.Dataset;
import org.overparam.data.DatasetSpec;
import org.overparam.experiment.MinimalWidth;
import org.overparam.experiment.UniformWidth;
import org.overparam.theory.WidthSearch;
import org.overparam.linalg.Matrix;
import org.overparam.memorization.Memorization;
import org.overparam.memorization.MemorizationResult;
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;

/**
 * The memorizing constructions against the width GD needs: Zhang, Bengio, Hardt, Recht &amp; Vinyals 2017
 * (Theorem 1: n hidden relu units, 2n + d weights) and Yun, Sra &amp; Jadbabaie 2019 (two hidden layers of O(√n)
 * units; overparam's construction with their orders, {@link org.overparam.memorization.YunConstruction}) built on n
 * points and checked by their largest error, beside the smallest width m* at which one hidden layer trained by GD
 * reaches training loss ε on the same points ({@link MinimalWidth#search}: a doubling grid, then bisection; one
 * seed; a width whose run does not reach ε within the budget fails).
 */
final class Constructions implements Reproduction {
    private record Size(int d, List<Integer> ns, long steps, int cap, double resolution) {
    }

    private static final Size QUICK = new Size(5, List.of(10, 20, 40, 80), 10000, 512, 0.25);
    private static final Size FULL = new Size(5, List.of(10, 20, 50, 100, 200), 20000, 512, 0.1);

    static final double LR = 0.5;
    static final double EPS = 1e-3;
    /** GD's series: the smallest width found (the legend's words). */
    private static final String GD = "GD m*";

    /** One n: the constructions' hidden units, stored numbers and max errors; GD's search. */
    record AtN(int n, int zhangUnits, long zhangParams, double zhangError, int yunUnits, String yunHidden,
            long yunParams, double yunError, WidthSearch.Status status, int gdWidth, int gdLastFailure) {
    }

    @Override
    public String id() {
        return "constructions";
    }

    @Override
    public String paper() {
        return "Zhang, Bengio, Hardt, Recht & Vinyals (2017), Theorem 1, and Yun, Sra & Jadbabaie (2019), Small ReLU "
                + "networks are powerful memorizers, NeurIPS, Theorem 3.1: memorizing constructions against the width "
                + "GD needs";
    }

    @Override
    public String finding() {
        return "Zhang et al.: a two-layer relu net with n hidden units (2n + d weights) represents any labels on n "
                + "distinct points. Yun et al.: two hidden layers of O(√n) units, O(n) weights, suffice. Both are "
                + "existence results; the width GD needs to find such a fit is what the NTK-based guarantees bound "
                + "(polynomially in n) and is measured here.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %s points uniform on S^%d with N(0, 1) labels (seed 1). Constructions "
                + "(overparam memorize): Zhang et al.'s and Yun et al.'s, projection direction seed 0, checked by "
                + "max_i |f(x_i) − y_i| with the net's own forward pass. GD: one hidden relu layer of width m, "
                + "standard parameterization with biases, every layer trained, full-batch GD with η = %.1f on our "
                + "mse (1/(2n))Σ(f − y)², seed 0; a width succeeds when the training loss reaches ε = %.0e within "
                + "T = %d steps (the same T at every n). m*: widths 1, 2, 4, … up to %d, then bisection between the "
                + "last failure and the first success to a relative resolution of %.2g (overparam min-width's "
                + "search); not reached by %d: drawn at %d as a lower bound. Parameters: every weight and bias the "
                + "net stores", s.ns(), s.d() - 1, LR, EPS, s.steps(), s.cap(), s.resolution(), s.cap(), s.cap());
    }

    @Override
    public String fullTime() {
        return "about 2 min on 2 cores";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        Map<Integer, WidthSearch> searches = MinimalWidth.search(s.ns(), () -> new WidthSearch(1, 2, s.cap(),
                s.resolution()), 1, 1, batch -> {
                    int[] ok = new int[batch.size()];
                    for (int i = 0; i < batch.size(); i++) {
                        MinimalWidth.Request r = batch.get(i);
                        Map<String, Object> c = new LinkedHashMap<>();
                        c.put("dataset", dataset(s, r.n()));
                        c.put("hidden", Integer.toString(r.width()));
                        c.put("lr", LR);
                        c.put("steps", s.steps());
                        c.put("record_every", 100);
                        c.put("target_loss", EPS);
                        Runs.Run run = Runs.train(c, dir.resolve("runs").resolve("n" + r.n() + "-m" + r.width()),
                                threads);
                        ok[i] = "completed".equals(run.summary().get("status"))
                                && run.summary().get("steps_to_target") instanceof Number ? 1 : 0;
                    }
                    return ok;
                }, line -> log.accept(id() + ": GD " + line));
        List<AtN> rows = new ArrayList<>();
        for (int n : s.ns()) {
            log.accept(id() + ": constructions at n = " + n);
            Dataset ds = DatasetSpec.load(dataset(s, n));
            try (Matrix x = Matrix.of(n, s.d(), ds.x().data()); Matrix y = Matrix.of(n, 1, ds.y().data())) {
                MemorizationResult z = Memorization.fit("zhang", x, y, 0);
                MemorizationResult yun = Memorization.fit("yun", x, y, 0);
                try (var zn = z.network(); var yn = yun.network()) {
                    WidthSearch ws = searches.get(n);
                    rows.add(new AtN(n, java.util.Arrays.stream(z.hidden()).sum(), z.storedNumbers(), z.maxError(),
                            java.util.Arrays.stream(yun.hidden()).sum(), java.util.Arrays.toString(yun.hidden()),
                            yun.storedNumbers(), yun.maxError(), ws.status(), ws.minimalWidth().orElse(-1),
                            ws.lastFailure().orElse(-1)));
                }
            }
        }
        try {
            return draw(dir, s, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dataset(Size s, int n) {
        return "sphere:n=" + n + ",d=" + s.d() + ",seed=1";
    }

    /** GD's parameters at width m: one hidden layer with biases, one output. */
    private static long gdParams(Size s, int m) {
        return UniformWidth.parameters(s.d(), 1, 1, m, true);
    }

    private Outcome draw(Path dir, Size s, List<AtN> rows) throws IOException {
        double[] n = rows.stream().mapToDouble(AtN::n).toArray();
        String fixed = String.format(Locale.ROOT, "d=%d, N(0,1) labels; GD: η=%.1f, ε=%.0e, T=%d", s.d(), LR, EPS,
                s.steps());
        List<AtN> found = rows.stream().filter(r -> r.status() == WidthSearch.Status.FOUND).toList();
        List<AtN> upper = rows.stream().filter(r -> r.status() == WidthSearch.Status.AT_FIRST_PROBE).toList();
        List<AtN> lower = rows.stream().filter(r -> r.status() == WidthSearch.Status.NOT_REACHED).toList();
        LogLogFit fit = found.size() >= 2 ? LogLogFit.of(found.stream().mapToDouble(AtN::n).toArray(),
                found.stream().mapToDouble(AtN::gdWidth).toArray(), 0.95) : null;
        for (boolean params : new boolean[] {false, true}) {
            PaperChart c = PaperChart.of((params ? "Parameters" : "Hidden units") + " that fit n points, " + fixed, "n "
                    + "(training points); Yun et al.-type: 2 hidden layers, others 1", params
                            ? "parameters (weights and biases stored)" : "hidden units (all hidden layers)").logX().logY()
                    .add("Zhang et al.", n, rows.stream().mapToDouble(r -> params ? r.zhangParams()
                            : r.zhangUnits()).toArray(), PaperChart.Kind.MEASURED)
                    .add("Yun et al.-type", n, rows.stream().mapToDouble(r -> params
                            ? r.yunParams() : r.yunUnits()).toArray(), PaperChart.Kind.MEASURED)
                    .add(GD, found.stream().mapToDouble(AtN::n).toArray(),
                            found.stream().mapToDouble(r -> params ? gdParams(s, r.gdWidth()) : r.gdWidth()).toArray(),
                            PaperChart.Kind.MEASURED);
            if (!upper.isEmpty()) {
                c.addInColourOf(GD, "GD m* ≤ 1", upper.stream().mapToDouble(AtN::n).toArray(),
                        upper.stream().mapToDouble(r -> params ? gdParams(s, 1) : 1).toArray(), PaperChart.Kind.CENSORED);
            }
            if (!lower.isEmpty()) {
                c.addInColourOf(GD, "GD m* > " + s.cap(), lower.stream()
                        .mapToDouble(AtN::n).toArray(), lower.stream().mapToDouble(r -> params ? gdParams(s, s.cap())
                                : s.cap()).toArray(), PaperChart.Kind.AT_LEAST);
            }
            if (!params && fit != null && MinimalWidth.trendSupported(fit) && fit.ciLow() > 0) {
                c.add(fit.legend("n"), n,
                        java.util.Arrays.stream(n).map(fit::predict).toArray(), PaperChart.Kind.PREDICTION);
            }
            c.write(dir.resolve(params ? "constructions-parameters" : "constructions-width"));
        }
        Runs.csv(dir.resolve("constructions.csv"), List.of("n", "zhang_hidden_units", "zhang_parameters",
                "zhang_max_error", "yun_hidden_units", "yun_parameters", "yun_max_error", "gd_min_width",
                "gd_last_failing_width", "gd_parameters_at_min_width", "gd_no_fit_up_to_width"), List.of(n,
                rows.stream().mapToDouble(AtN::zhangUnits).toArray(), rows.stream().mapToDouble(AtN::zhangParams).toArray(),
                rows.stream().mapToDouble(AtN::zhangError).toArray(), rows.stream().mapToDouble(AtN::yunUnits).toArray(),
                rows.stream().mapToDouble(AtN::yunParams).toArray(), rows.stream().mapToDouble(AtN::yunError).toArray(),
                rows.stream().mapToDouble(r -> r.gdWidth() < 0 ? Double.NaN : r.gdWidth()).toArray(),
                rows.stream().mapToDouble(r -> r.gdLastFailure() < 0 ? Double.NaN : r.gdLastFailure()).toArray(),
                rows.stream().mapToDouble(r -> r.gdWidth() < 0 ? Double.NaN : gdParams(s, r.gdWidth())).toArray(),
                rows.stream().mapToDouble(r -> r.status() == WidthSearch.Status.NOT_REACHED ? s.cap() : Double.NaN)
                        .toArray()));
        return new Outcome(List.of("constructions-width", "constructions-parameters"), List.of("constructions.csv"),
                comparison(s, rows, fit));
    }

    /** The constructions' exactness, GD's m* per n, and what the points support about m*'s growth. */
    static String comparison(Size s, List<AtN> rows, LogLogFit fit) {
        double worst = rows.stream().mapToDouble(r -> Math.max(r.zhangError(), r.yunError())).max().orElse(Double.NaN);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Both constructions memorize every set exactly "
                + "up to rounding (largest error %.2g). ", worst));
        List<String> per = new ArrayList<>();
        for (AtN r : rows) {
            String gd = switch (r.status()) {
                case FOUND -> String.format(Locale.ROOT, "GD m* = %d (%d fails; %d parameters)", r.gdWidth(),
                        r.gdLastFailure(), gdParams(s, r.gdWidth()));
                case AT_FIRST_PROBE -> "GD m* <= 1";
                case NOT_REACHED -> "GD m* > " + s.cap();
                case RUNNING -> "GD search unfinished";
            };
            per.add(String.format(Locale.ROOT, "n = %d: Zhang %d units (%d parameters), Yun %s (%d), %s", r.n(),
                    r.zhangUnits(), r.zhangParams(), r.yunHidden(), r.yunParams(), gd));
        }
        b.append(String.join("; ", per)).append(". ");
        if (worst > 1e-6) {
            b.append("A construction's error exceeds 1e-6: check the data. ");
        }
        if (fit == null || !Trend.hasInterval(fit)) {
            b.append("GD's m* was bracketed at ").append(fit == null ? "fewer than 2" : "2").append(" n: too few for an "
                    + "interval, no statement on how it grows with n. ");
        } else {
            b.append(String.format(Locale.ROOT, "Log-log fit of GD's m* against n over the %d n where it was "
                    + "bracketed: exponent %.2f (95%% interval [%.2f, %.2f], R² %.2f)", fit.points(), fit.slope(),
                    fit.ciLow(), fit.ciHigh(), fit.rSquared()));
            if (!MinimalWidth.trendSupported(fit) || fit.ciLow() <= 0) {
                b.append(": the interval does not exclude 0 (or R² < 0.5), no growth rate is claimed. ");
            } else {
                b.append(": m* grows with n").append(fit.covers(1) ? "; the interval contains 1 (Zhang's one unit per "
                        + "point)" : fit.ciHigh() < 1 ? ", slower than n" : ", faster than n (the interval lies above 1)")
                        .append(fit.covers(0.5) ? " and contains 1/2 (Yun's √n). " : ". ");
            }
        }
        long bracketed = rows.stream().filter(r -> r.status() == WidthSearch.Status.FOUND).count();
        long belowZhang = rows.stream().filter(r -> r.status() == WidthSearch.Status.FOUND && r.gdWidth() < r.n())
                .count();
        long belowYun = rows.stream().filter(r -> r.status() == WidthSearch.Status.FOUND && r.gdWidth() < r.yunUnits())
                .count();
        b.append(String.format(Locale.ROOT, "Of the %d n where m* was bracketed, GD's one layer needed fewer hidden "
                + "units than Zhang's construction at %d and fewer than Yun's two layers together at %d", bracketed,
                belowZhang, belowYun));
        List<String> beyond = rows.stream().filter(r -> r.status() == WidthSearch.Status.NOT_REACHED)
                .map(r -> Integer.toString(r.n())).toList();
        boolean aboveBoth = rows.stream().filter(r -> r.status() == WidthSearch.Status.NOT_REACHED)
                .allMatch(r -> s.cap() >= Math.max(r.zhangUnits(), r.yunUnits()));
        b.append(beyond.isEmpty() ? ". " : String.format(Locale.ROOT, "; at n = %s no width up to %d reached ε within "
                + "T = %d steps%s (a lower bound that depends on T). ", String.join(", ", beyond), s.cap(), s.steps(),
                aboveBoth ? ", more hidden units than either construction has there" : ""));
        b.append("The constructions are exact; GD's m* is the smallest width whose run reached ε within the budget, "
                + "and a larger T can only make more widths succeed (a run that reached ε by T has reached it by any later "
                + "step).");
        return b.toString();
    }
}
