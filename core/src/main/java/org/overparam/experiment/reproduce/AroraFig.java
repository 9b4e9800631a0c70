package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.experiment.DataLoader;
import org.overparam.experiment.LoadedData;
import org.overparam.experiment.TrainRun;
import org.overparam.kernel.LectureLimits;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.SymmetricEigen;
import org.overparam.nn.Network;
import org.overparam.report.PaperChart;
import org.overparam.theory.FineGrainedDynamics;

/**
 * Arora, Du, Hu, Li &amp; Wang, ICML 2019, Figures 1 and 2 on MNIST 0-vs-1: the training loss of GD on a wide
 * two-layer ReLU net follows ‖(I − η_eff H^∞)^k (y − u(0))‖²/(2n) for the true labels, and the random labels' curve
 * both falls slower and leaves the prediction; the true labels put their weight on H^∞'s top eigenvectors, the
 * random labels spread it over all of them. The prediction is the fine-grained check's
 * ({@link FineGrainedDynamics#predicted}).
 */
final class AroraFig implements Reproduction {
    private record Size(int n, int m, long steps) {
    }

    private static final Size QUICK = new Size(100, 1024, 800);
    private static final Size FULL = new Size(400, 2048, 2000);

    /** Where the MNIST IDX files are; {@code overparam reproduce --mnist DIR} sets it. */
    static Path mnist = Path.of("../shared/data/mnist");

    @Override
    public String id() {
        return "arora2019";
    }

    @Override
    public String paper() {
        return "Arora, Du, Hu, Li & Wang (2019), Fine-grained analysis of optimization and generalization for "
                + "overparameterized two-layer neural networks, ICML, Figures 1 and 2";
    }

    @Override
    public String finding() {
        return "On MNIST the training loss of GD follows the H^∞ prediction ‖(I − ηH^∞)^k y‖² closely for true labels; "
                + "random labels are fitted more slowly, and true labels project mostly onto H^∞'s top eigenvectors "
                + "while random labels spread over all of them (yᵀ(H^∞)⁻¹y much larger).";
    }

    /** Theorem 4.1's additive ε, relative to ‖y − u(0)‖: the fine-grained check's default tolerance. */
    static final double TOLERANCE = 0.05;

    /**
     * max_k |‖y − u(k)‖ − ‖y − u_pred(k)‖| / ‖y − u(0)‖ from the two loss curves (‖r‖ = √(2nL)): the deviation
     * Theorem 4.1 bounds.
     */
    static double deviation(double[] measured, double[] predicted) {
        double worst = 0;
        for (int k = 0; k < measured.length; k++) {
            worst = Math.max(worst, Math.abs(Math.sqrt(measured[k]) - Math.sqrt(predicted[k])));
        }
        return worst / Math.sqrt(measured[0]);
    }

    /** The comparison with the paper's finding, from the deviations ({@link #TOLERANCE}) and the final losses. */
    static String verdict(double trueDeviation, double randomDeviation, boolean trueFitsFaster) {
        boolean tracks = trueDeviation <= TOLERANCE;
        boolean leaves = randomDeviation > TOLERANCE;
        if (tracks && leaves && trueFitsFaster) {
            return "As in the paper: the true labels follow the prediction (deviation within " + TOLERANCE + " of "
                    + "||y - u(0)||), and the random labels are fitted slower and leave it.";
        }
        return "Not as in the paper: " + (tracks ? "" : "the true labels leave the prediction; ")
                + (leaves ? "" : "the random labels stay within the tolerance of theirs; ")
                + (trueFitsFaster ? "" : "the random labels are fitted as fast as the true ones; ")
                + "a longer horizon, a wider net or more points may be needed.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    private static String dataset(Size s) {
        return "mnist:dir=" + mnist + ",classes=0/1,n=" + s.n() + ",seed=1,pool=2,labels=pm1";
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "MNIST test set, digits 0 and 1 as -1/+1, n = %d, 14×14 average-pooled, "
                + "unit norm; du2019 net (relu, first layer trained, a_r = ±1 fixed), m = %d; full-batch GD on our "
                + "mse with η = %.0f (η_eff = η/n = 0.02), %d steps, seed 0; random labels: every label replaced by "
                + "a uniform ±1 (--corrupt-labels 1). Prediction: ‖(I − η_eff H^∞)^k (y − u(0))‖²/(2n) with H^∞ "
                + "from the arccos formula", s.n(), s.m(), 0.02 * s.n(), s.steps());
    }

    @Override
    public String fullTime() {
        return "about 50 s on 2 cores";
    }

    @Override
    public String missingData() {
        return Files.isDirectory(mnist) ? null : "arora2019 uses MNIST: " + mnist + " does not exist; give the folder "
                + "of the MNIST IDX files with --mnist DIR";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        if (missingData() != null) {
            throw new InputError(missingData());
        }
        Size s = size(quick);
        double lr = 0.02 * s.n();
        double[][] curves = new double[4][];
        double[] steps = null;
        double[][] captured = new double[2][];
        double[] quadratic = new double[2];
        String[] names = {"true labels", "random labels"};
        for (int t = 0; t < 2; t++) {
            log.accept(id() + ": training on " + names[t]);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("dataset", dataset(s));
            c.put("normalize", true);
            c.put("parameterization", "du2019");
            c.put("bias", false);
            c.put("hidden", Integer.toString(s.m()));
            c.put("lr", lr);
            c.put("steps", s.steps());
            c.put("record_every", 50);
            if (t == 1) {
                c.put("corrupt_labels", 1.0);
            }
            Runs.Run run = Runs.train(c, dir.resolve("runs").resolve(t == 0 ? "true" : "random"), threads);
            double[][] loss = run.series("loss");
            steps = loss[0];
            curves[2 * t] = loss[1];
            // the prediction on the same data, from the same initial network
            LoadedData data = DataLoader.load(run.config());
            try (org.overparam.nn.Model net = TrainRun.buildNetwork(run.config(), data).net();
                    Matrix u0 = net.predict(data.x()); Matrix h = LectureLimits.hInfinity(data.x())) {
                int n = data.x().rows();
                double[] r0 = new double[n];
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = data.y().get(i, 0);
                    r0[i] = y[i] - u0.get(i, 0);
                }
                SymmetricEigen e = Lapack.symmetricEigen(h);
                try (Matrix ignored = e.vectors()) {
                    double[] p = FineGrainedDynamics.project(e, r0);
                    double[] pred = new double[steps.length];
                    for (int k = 0; k < steps.length; k++) {
                        pred[k] = FineGrainedDynamics.predicted(e.values(), p, lr / n, (long) steps[k]) / (2 * n);
                    }
                    curves[2 * t + 1] = pred;
                    quadratic[t] = FineGrainedDynamics.inverseQuadratic(e, y);
                    // the share of ‖y‖² on the top-i eigenvectors of H^∞ (eigenvalues ascending: read from the end)
                    double[] py = FineGrainedDynamics.project(e, y);
                    double total = 0;
                    for (double v : py) {
                        total += v * v;
                    }
                    double[] cum = new double[n];
                    double acc = 0;
                    for (int i = 0; i < n; i++) {
                        acc += py[n - 1 - i] * py[n - 1 - i];
                        cum[i] = acc / total;
                    }
                    captured[t] = cum;
                }
            } finally {
                for (Matrix mm : new Matrix[] {data.x(), data.y(), data.testX(), data.testY()}) {
                    if (mm != null) {
                        mm.close();
                    }
                }
            }
        }
        try {
            String fixed = String.format(Locale.ROOT, "MNIST 0/1, n=%d, m=%d", s.n(), s.m());
            PaperChart.of("Loss and the H^∞ prediction, " + fixed, "GD step k",
                    "training loss (1/(2n))Σ(f − y)²").logY().integerX()
                    .add("true labels", steps, curves[0], PaperChart.Kind.CURVE)
                    .add("true (H^∞)", steps, curves[1], PaperChart.Kind.PREDICTION)
                    .add("random labels", steps, curves[2], PaperChart.Kind.CURVE)
                    .add("random (H^∞)", steps, curves[3], PaperChart.Kind.PREDICTION)
                    .write(dir.resolve("arora2019-fig1-loss"));
            int n = captured[0].length;
            double[] idx = new double[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i + 1;
            }
            PaperChart.of("Labels in H^∞'s eigenbasis, " + fixed, "top i eigenvectors of H^∞",
                    "share of ||y||² on them").logX()
                    .add("true labels", idx, captured[0], PaperChart.Kind.MEASURED)
                    .add("random labels", idx, captured[1], PaperChart.Kind.MEASURED)
                    .write(dir.resolve("arora2019-fig2-projections"));
            Runs.csv(dir.resolve("arora2019-fig1-loss.csv"), List.of("step", "true_measured", "true_predicted",
                    "random_measured", "random_predicted"), List.of(steps, curves[0], curves[1], curves[2], curves[3]));
            Runs.csv(dir.resolve("arora2019-fig2-projections.csv"), List.of("top_eigenvectors", "true_share",
                    "random_share"), List.of(idx, captured[0], captured[1]));
            int last = steps.length - 1;
            double devTrue = deviation(curves[0], curves[1]);
            double devRandom = deviation(curves[2], curves[3]);
            String comparison = String.format(Locale.ROOT, "Largest deviation of ||y - u(k)|| from the prediction, "
                    + "relative to ||y - u(0)||: %.3g for the true labels, %.3g for the random ones. At k = %d the true "
                    + "labels' loss is %.3g against %.3g predicted; the random labels' is %.3g against %.3g. The top "
                    + "10 eigenvectors hold %.0f%% of ||y||² for the true labels and %.0f%% for the random ones; "
                    + "yᵀ(H^∞)⁻¹y = %.4g vs %.4g (x%.1f). %s", devTrue, devRandom, (long) steps[last], curves[0][last],
                    curves[1][last], curves[2][last], curves[3][last],
                    100 * captured[0][Math.min(9, n - 1)], 100 * captured[1][Math.min(9, n - 1)], quadratic[0],
                    quadratic[1], quadratic[1] / quadratic[0], verdict(devTrue, devRandom,
                            curves[0][last] < curves[2][last]));
            return new Outcome(List.of("arora2019-fig1-loss", "arora2019-fig2-projections"),
                    List.of("arora2019-fig1-loss.csv", "arora2019-fig2-projections.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
