package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.overparam.data.Synthetic;
import org.overparam.kernel.GdPrediction;
import org.overparam.kernel.InfiniteWidthKernel;
import org.overparam.kernel.Kernel;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Lee et al. 2019, finite against infinite width: networks of width m trained by GD, their test outputs along
 * training against the infinite-width NTK's closed-form prediction from the same initial outputs
 * (f_k(x) = f_0(x) + Θ∞(x, X)Θ∞⁻¹(I − (I − ηΘ∞/n)^k)(y − f_0(X)), {@link GdPrediction}); the gap shrinks like m^(−1/2).
 */
final class FiniteVsInfinite implements Reproduction {
    private record Size(int n, int nTest, int d, List<Integer> widths, long steps, int seeds) {
    }

    private static final Size QUICK = new Size(40, 20, 8, List.of(64, 256, 1024, 4096), 200, 2);
    private static final Size FULL = new Size(100, 50, 10, List.of(64, 256, 1024, 4096), 1000, 3);
    private static final double ETA = 1.0;
    private static final double SIGMA_B = 0.1;

    @Override
    public String id() {
        return "lee2019-infinite";
    }

    @Override
    public String paper() {
        return "Lee, Xiao, Schoenholz, Bahri, Novak, Sohl-Dickstein & Pennington (2019), Wide neural networks of any "
                + "depth evolve as linear models under gradient descent, NeurIPS, Section 2.4 and Figure 5 (finite "
                + "width against the infinite-width prediction)";
    }

    @Override
    public String finding() {
        return "The test outputs of a network trained by gradient descent follow the infinite-width NTK's closed-form "
                + "prediction throughout training, with a deviation that shrinks like 1/√m with the width.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %d training and %d test points uniform on S^%d with N(0, 1) labels; one "
                + "hidden relu layer of width m = %s, ntk parameterization (σ_w = 1, σ_b = %.1f), every layer trained "
                + "by full-batch GD on our mse with η = %.0f for %d steps; %d seeds per width. Prediction: the "
                + "infinite-width NTK (overparam kernel --depth 1) in closed form (overparam predict's formula) from "
                + "each net's own initial outputs; gap = ||f_net(X_test) − f_inf(X_test)|| / ||f_inf(X_test)|| every "
                + "10 steps", s.n(), s.nTest(), s.d() - 1, s.widths(), SIGMA_B, ETA, s.steps(), s.seeds());
    }

    @Override
    public String fullTime() {
        return "about 1 min on 2 cores";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        int n = s.n();
        int every = 10;
        int points = (int) (s.steps() / every) + 1;
        double[] stepAxis = new double[points];
        for (int i = 0; i < points; i++) {
            stepAxis[i] = i * every;
        }
        double[][][] gaps = new double[s.widths().size()][s.seeds()][points];
        try (Matrix x = Matrix.of(n, s.d(), Synthetic.sphere(n, s.d(), 1).data());
                Matrix xt = Matrix.of(s.nTest(), s.d(), Synthetic.sphere(s.nTest(), s.d(), 2).data());
                Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, 1).data())) {
            InfiniteWidthKernel ik = new InfiniteWidthKernel(1, Activations.RELU, 1.0, SIGMA_B);
            try (Kernel train = ik.compute(x); Kernel cross = ik.compute(xt, x);
                    GdPrediction pred = new GdPrediction(train.ntk(), n, ETA, 0.0)) {
                for (int wi = 0; wi < s.widths().size(); wi++) {
                    int m = s.widths().get(wi);
                    for (int seed = 0; seed < s.seeds(); seed++) {
                        log.accept(id() + ": width " + m + ", seed " + seed);
                        NetworkSpec spec = NetworkSpec.ntk(s.d(), new int[] {m}, 1, Activations.RELU, 1.0, SIGMA_B,
                                true);
                        double[] g = gaps[wi][seed];
                        try (Network net = Network.initialize(spec, seed); Matrix f0 = net.predict(x);
                                Matrix ft0 = net.predict(xt)) {
                            new Trainer(net, x, y, new TrainSpec(Loss.MSE, org.overparam.train.Optimizer.GD, ETA,
                                    org.overparam.train.Schedule.CONSTANT, 0.0, s.steps(), n,
                                    org.overparam.train.Sampling.SHUFFLE, 0, every, 1e6)).observe(
                                            new org.overparam.train.TrainObserver() {
                                                @Override
                                                public void atRecord(long step, org.overparam.nn.Model w) {
                                                    try (Matrix fNet = w.predict(xt); Matrix fInf = pred.test(
                                                            cross.ntk(), ft0, f0, y, GdPrediction.When.step(step))) {
                                                        g[(int) (step / every)] = relative(fNet, fInf);
                                                    }
                                                }

                                                @Override
                                                public void onStep(org.overparam.train.StepRecord r,
                                                        org.overparam.nn.Model w) {
                                                }
                                            }).run();
                        }
                    }
                }
            }
        }
        double[] widths = s.widths().stream().mapToDouble(Integer::doubleValue).toArray();
        double[][] maxGap = new double[widths.length][];
        double[] mean = new double[widths.length];
        double[] sd = new double[widths.length];
        for (int wi = 0; wi < widths.length; wi++) {
            maxGap[wi] = new double[s.seeds()];
            for (int seed = 0; seed < s.seeds(); seed++) {
                double mx = 0;
                for (int i = 1; i < points; i++) {
                    mx = Math.max(mx, gaps[wi][seed][i]);
                }
                maxGap[wi][seed] = mx;
            }
            mean[wi] = DuFig1.mean(maxGap[wi]);
            sd[wi] = s.seeds() > 1 ? DuFig1.sd(maxGap[wi]) : Double.NaN;
        }
        LogLogFit fit = LogLogFit.of(widths, mean, 0.95);
        String fixed = String.format(Locale.ROOT, "n=%d, T=%d, eta=%.0f", n, s.steps(), ETA);
        try {
            PaperChart curves = PaperChart.of("Network against the infinite-width prediction, " + fixed, "GD step k",
                    "test-output gap ||f_m - f_inf|| / ||f_inf||").logY().integerX();
            List<double[]> cols = new ArrayList<>(List.of(stepAxis));
            List<String> header = new ArrayList<>(List.of("step"));
            for (int wi = 0; wi < widths.length; wi++) {
                double[] avg = new double[points - 1];
                for (int i = 1; i < points; i++) {
                    double t = 0;
                    for (int seed = 0; seed < s.seeds(); seed++) {
                        t += gaps[wi][seed][i];
                    }
                    avg[i - 1] = t / s.seeds();
                }
                curves.add("m = " + s.widths().get(wi) + " (mean of " + s.seeds() + " seeds)",
                        java.util.Arrays.copyOfRange(stepAxis, 1, points), avg, PaperChart.Kind.CURVE);
                double[] col = new double[points];
                col[0] = Double.NaN;
                System.arraycopy(avg, 0, col, 1, points - 1);
                cols.add(col);
                header.add("gap_m" + s.widths().get(wi));
            }
            curves.write(dir.resolve("lee2019-infinite-gap"));
            Runs.csv(dir.resolve("lee2019-infinite-gap.csv"), header, cols);
            PaperChart.of("Largest gap over training against width, " + fixed, "width m",
                    "max_k ||f_m - f_inf|| / ||f_inf|| (test)").logX().logY()
                    .add(Trend.spreadLabel(mean, sd, s.seeds()), widths, mean, Trend.logAxisBars(mean, sd),
                            PaperChart.Kind.MEASURED)
                    .add(fit.legend("m"), widths,
                            java.util.Arrays.stream(widths).map(fit::predict).toArray(), PaperChart.Kind.PREDICTION)
                    .add("slope -1/2 (theory)", widths, java.util.Arrays.stream(widths)
                            .map(w -> mean[0] * Math.sqrt(widths[0] / w)).toArray(), PaperChart.Kind.PREDICTION)
                    .write(dir.resolve("lee2019-infinite-width"));
            Runs.csv(dir.resolve("lee2019-infinite-width.csv"), List.of("width", "max_gap_mean", "max_gap_sd"),
                    List.of(widths, mean, sd));
            String comparison = String.format(Locale.ROOT, "Largest test-output gap to the infinite-width prediction "
                    + "over %d steps at m = %s: %s (mean of %d seeds); fitted slope against m %s. %s", s.steps(),
                    s.widths(), Trend.fmt(mean, "%.3g"), s.seeds(), Trend.slope(fit), verdict(fit));
            return new Outcome(List.of("lee2019-infinite-gap", "lee2019-infinite-width"),
                    List.of("lee2019-infinite-gap.csv", "lee2019-infinite-width.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String verdict(LogLogFit fit) {
        if (!Trend.hasInterval(fit)) {
            return Trend.TOO_FEW;
        }
        if (!Trend.shrinks(fit)) {
            return fit.covers(0) ? "The slope's 95% interval contains 0: these widths do not decide the trend."
                    : "Not as in the paper: the gap grows with width (95% interval of the slope above 0).";
        }
        return "The gap shrinks with width (95% interval of the slope below 0), as the paper reports"
                + (fit.covers(-0.5) ? "; the interval contains -1/2." : "; the interval does not contain -1/2.");
    }

    private static double relative(Matrix a, Matrix b) {
        double num = 0;
        double den = 0;
        for (long i = 0; i < a.size(); i++) {
            double d = a.at(i) - b.at(i);
            num += d * d;
            den += b.at(i) * b.at(i);
        }
        return Math.sqrt(num / Math.max(den, Double.MIN_NORMAL));
    }
}
