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
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;

/**
 * Lee, Xiao, Schoenholz, Bahri, Novak, Sohl-Dickstein &amp; Pennington, NeurIPS 2019, Figures 1 and 4 in spirit: a
 * wide network trained by GD stays close to its linearization at initialization, on training and test points, and
 * the gap shrinks with width like 1/√m (their Theorem 2.1). Measured with {@code train --track linearization}: the
 * linearized net is trained alongside in closed form with the same steps.
 */
final class LeeLinearization implements Reproduction {
    private record Size(int n, int d, List<Integer> widths, long steps) {
    }

    private static final Size QUICK = new Size(40, 10, List.of(64, 256, 1024, 4096), 200);
    private static final Size FULL = new Size(200, 20, List.of(64, 256, 1024, 4096, 16384), 1000);

    @Override
    public String id() {
        return "lee2019";
    }

    @Override
    public String paper() {
        return "Lee, Xiao, Schoenholz, Bahri, Novak, Sohl-Dickstein & Pennington (2019), Wide neural networks of any "
                + "depth evolve as linear models under gradient descent, NeurIPS, Figures 1 and 4";
    }

    @Override
    public String finding() {
        return "The outputs of a wide network trained by gradient descent stay close to those of its linearization "
                + "at initialization, on training and on test points, throughout training; the difference shrinks as "
                + "the width grows, like 1/√m.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %d training and 100 test points uniform on S^%d, N(0, 1) labels; one "
                + "hidden relu layer of width m = %s in the ntk parameterization (σ_w = 1, σ_b = 0.1), every layer "
                + "trained; full-batch GD on our mse with η = 1, %d steps, seed 0; gap = ||f(t) − f_lin(t)||/||f(t)|| "
                + "every 10 steps (train --track linearization)", s.n(), s.d() - 1, s.widths(), s.steps());
    }

    @Override
    public String fullTime() {
        return "about 1 min on 2 cores";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        List<Runs.Run> runs = new ArrayList<>();
        for (int m : s.widths()) {
            log.accept(id() + ": training width " + m);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("dataset", "sphere:n=" + s.n() + ",d=" + s.d() + ",seed=1");
            c.put("test_dataset", "sphere:n=100,d=" + s.d() + ",seed=2");
            c.put("parameterization", "ntk");
            c.put("sigma_b", 0.1);
            c.put("hidden", Integer.toString(m));
            c.put("lr", 1.0);
            c.put("steps", s.steps());
            c.put("record_every", 10);
            c.put("track", "linearization");
            runs.add(Runs.train(c, dir.resolve("runs").resolve("m" + m), threads));
        }
        double[] widths = s.widths().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] train = runs.stream().mapToDouble(r -> r.last("linearization_gap_train")).toArray();
        double[] test = runs.stream().mapToDouble(r -> r.last("linearization_gap_test")).toArray();
        String fixed = String.format(Locale.ROOT, "n=%d, d=%d, T=%d", s.n(), s.d(), s.steps());
        try {
            PaperChart time = PaperChart.of("Net against its linearization, test points, " + fixed, "GD step k",
                    "||f(t) − f_lin(t)|| / ||f(t)||").logY().integerX();
            for (int i = 0; i < runs.size(); i++) {
                double[][] g = runs.get(i).series("linearization_gap_test");
                time.add("m = " + s.widths().get(i), g[0], g[1], PaperChart.Kind.CURVE);
            }
            time.write(dir.resolve("lee2019-gap-over-time"));
            LogLogFit trainFit = LogLogFit.of(widths, train, 0.95);
            LogLogFit testFit = LogLogFit.of(widths, test, 0.95);
            PaperChart.of("Gap at step T against width, " + fixed, "width m", "||f(T) − f_lin(T)|| / ||f(T)||")
                    .logX().logY()
                    .add("training points", widths, train, PaperChart.Kind.MEASURED)
                    .add("test points", widths, test, PaperChart.Kind.MEASURED)
                    .add("slope -1/2 (theory)", widths, java.util.Arrays.stream(widths)
                            .map(w -> test[0] * Math.sqrt(widths[0] / w)).toArray(), PaperChart.Kind.PREDICTION)
                    .write(dir.resolve("lee2019-gap-against-width"));
            Runs.csv(dir.resolve("lee2019-gap-against-width.csv"), List.of("width", "gap_train", "gap_test"),
                    List.of(widths, train, test));
            String comparison = String.format(Locale.ROOT, "Gap at T on training points %s, on test points %s for m = "
                    + "%s; fitted slopes against m: training %s, test %s (the theory: -1/2). %s",
                    Trend.fmt(train, "%.3g"), Trend.fmt(test, "%.3g"), s.widths(), Trend.slope(trainFit),
                    Trend.slope(testFit), verdict(trainFit, testFit));
            return new Outcome(List.of("lee2019-gap-over-time", "lee2019-gap-against-width"),
                    List.of("lee2019-gap-against-width.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As in the paper when both gaps shrink with width (slopes' 95 % intervals below 0). */
    static String verdict(LogLogFit train, LogLogFit test) {
        if (!Trend.hasInterval(train) || !Trend.hasInterval(test)) {
            return Trend.TOO_FEW;
        }
        if (Trend.shrinks(train) && Trend.shrinks(test)) {
            return "As in the paper: the gap shrinks with width on training and test points"
                    + (test.covers(-0.5) ? ", at a rate consistent with 1/√m." : ", though the test slope's interval "
                            + "does not contain -1/2.");
        }
        return "Not as in the paper: the gap does not shrink with width on "
                + (Trend.shrinks(train) ? "test points." : Trend.shrinks(test) ? "training points." : "either set.");
    }
}
