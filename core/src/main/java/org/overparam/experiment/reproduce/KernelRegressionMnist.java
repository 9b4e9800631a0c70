package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.experiment.DataLoader;
import org.overparam.experiment.LoadedData;
import org.overparam.experiment.RunConfig;
import org.overparam.kernel.GdPrediction;
import org.overparam.kernel.InfiniteWidthKernel;
import org.overparam.kernel.Kernel;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activations;
import org.overparam.report.PaperChart;

/**
 * Lee et al. 2018 (deep nets as GPs) and Arora et al. 2019 (exact computation with an infinitely wide net): test
 * accuracy of kernel regression with the infinite-width NTK and NNGP of relu nets on MNIST for depths 1..5, beside
 * finite nets of the same depth trained by GD on the same data ({@code overparam predict --steps inf} and
 * {@code overparam train}).
 */
final class KernelRegressionMnist implements Reproduction {
    private record Size(int n, int nTest, int width, long steps) {
    }

    private static final Size QUICK = new Size(300, 150, 128, 300);
    private static final Size FULL = new Size(2000, 1000, 512, 2000);
    private static final int DEPTHS = 5;

    @Override
    public String id() {
        return "ntk-mnist";
    }

    @Override
    public String paper() {
        return "Lee, Bahri, Novak, Schoenholz, Pennington & Sohl-Dickstein (2018), Deep neural networks as Gaussian "
                + "processes, ICLR (NNGP on MNIST by depth); Arora, Du, Hu, Li, Salakhutdinov & Wang (2019), On exact "
                + "computation with an infinitely wide neural net, NeurIPS (NTK regression)";
    }

    @Override
    public String finding() {
        return "Kernel regression with the infinite-width NNGP or NTK of a relu net is a strong classifier on MNIST, "
                + "about as accurate as the finite networks, with little dependence on the depth.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "MNIST test set (the one in --mnist): %d training and %d held-out images, "
                + "all 10 classes, 784 pixels scaled to [0, 1] then to the unit sphere; targets one-hot rows; kernels "
                + "of relu nets with L = 1..%d hidden layers, ntk parameterization σ_w = √2, σ_b = 0.1, regression "
                + "at GD step ∞ (overparam predict --steps inf; a ridge of 1e-6·mean diagonal), class = argmax; finite "
                + "nets: width %d, same σ's, every layer trained by full-batch GD on our mse for %d steps with "
                + "η = n/λ_max(Θ∞) (half the critical step), seed 0", s.n(), s.nTest(), DEPTHS, s.width(), s.steps());
    }

    @Override
    public String fullTime() {
        return "about 6 min on 2 cores";
    }

    @Override
    public String missingData() {
        return Files.isDirectory(AroraFig.mnist) ? null : "ntk-mnist uses MNIST: " + AroraFig.mnist + " does not exist; "
                + "give the folder of the MNIST IDX files with --mnist DIR";
    }

    private Map<String, Object> data(Size s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", "mnist:dir=" + AroraFig.mnist + ",n=" + (s.n() + s.nTest()) + ",seed=0");
        c.put("test_split", s.nTest() / (double) (s.n() + s.nTest()));
        c.put("normalize", true);
        c.put("one_hot", true);
        c.put("loss", "mse");
        return c;
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        if (missingData() != null) {
            throw new InputError(missingData());
        }
        Size s = size(quick);
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        double sw = Math.sqrt(2);
        double sb = 0.1;
        double[] depth = new double[DEPTHS];
        double[] ntk = new double[DEPTHS];
        double[] nngp = new double[DEPTHS];
        double[] finite = new double[DEPTHS];
        double[] eta = new double[DEPTHS];
        LoadedData data = DataLoader.load(RunConfig.defaults().with(data(s), id()));
        int k = data.y().cols();
        try (Matrix f0 = Matrix.zeros(data.x().rows(), k); Matrix ft0 = Matrix.zeros(data.testX().rows(), k)) {
            for (int l = 1; l <= DEPTHS; l++) {
                log.accept(id() + ": kernels of depth " + l);
                depth[l - 1] = l;
                InfiniteWidthKernel ik = new InfiniteWidthKernel(l, Activations.RELU, sw, sb);
                try (Kernel train = ik.compute(data.x()); Kernel cross = ik.compute(data.testX(), data.x())) {
                    for (int which = 0; which < 2; which++) {
                        Matrix th = which == 0 ? train.ntk() : train.nngp();
                        double ridge = 1e-6 * meanDiagonal(th);
                        try (GdPrediction g = new GdPrediction(th, data.x().rows(), 1.0, ridge);
                                Matrix f = g.test(which == 0 ? cross.ntk() : cross.nngp(), ft0, f0, data.y(),
                                        GdPrediction.When.step(Double.POSITIVE_INFINITY))) {
                            double acc = org.overparam.experiment.PredictRun.accuracy(f, data.testY());
                            if (which == 0) {
                                ntk[l - 1] = acc;
                                eta[l - 1] = data.x().rows() / g.lambdaMax;
                            } else {
                                nngp[l - 1] = acc;
                            }
                        }
                    }
                }
                log.accept(id() + ": finite net of depth " + l + ", width " + s.width());
                Map<String, Object> c = new LinkedHashMap<>(data(s));
                c.put("hidden", String.join(",", java.util.Collections.nCopies(l, Integer.toString(s.width()))));
                c.put("parameterization", "ntk");
                c.put("sigma_w", sw);
                c.put("sigma_b", sb);
                c.put("lr", eta[l - 1]);
                c.put("steps", s.steps());
                c.put("record_every", (int) s.steps());
                Runs.Run run = Runs.train(c, dir.resolve("runs").resolve("depth" + l), threads);
                Object a = run.summary().get("final_test_accuracy");
                finite[l - 1] = a instanceof Number v ? v.doubleValue() : Double.NaN;
            }
        } finally {
            data.x().close();
        }
        try {
            PaperChart.of(String.format(Locale.ROOT, "MNIST test accuracy, n=%d, 10 classes", s.n()),
                    "hidden layers L", "test accuracy (held-out)").integerX()
                    .add("NTK regression (infinite width)", depth, ntk, PaperChart.Kind.MEASURED)
                    .add("NNGP regression (infinite width)", depth, nngp, PaperChart.Kind.MEASURED)
                    .add("finite net, width " + s.width() + ", GD " + s.steps() + " steps", depth, finite,
                            PaperChart.Kind.MEASURED)
                    .write(dir.resolve("ntk-mnist-depth"));
            Runs.csv(dir.resolve("ntk-mnist-depth.csv"), List.of("hidden_layers", "ntk_test_accuracy",
                    "nngp_test_accuracy", "finite_test_accuracy", "finite_lr"), List.of(depth, ntk, nngp, finite, eta));
            String comparison = String.format(Locale.ROOT, "Test accuracy for L = 1..%d: NTK %s, NNGP %s, finite "
                    + "width-%d nets after %d GD steps %s (%d held-out images: a difference below about %.3f is within "
                    + "one binomial standard error).", DEPTHS, Trend.fmt(ntk, "%.3f"), Trend.fmt(nngp, "%.3f"),
                    s.width(), s.steps(), Trend.fmt(finite, "%.3f"), s.nTest(),
                    Math.sqrt(0.9 * 0.1 / s.nTest()));
            return new Outcome(List.of("ntk-mnist-depth"), List.of("ntk-mnist-depth.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double meanDiagonal(Matrix m) {
        double s = 0;
        for (int i = 0; i < m.rows(); i++) {
            s += m.get(i, i);
        }
        return s / m.rows();
    }
}
