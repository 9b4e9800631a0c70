package org.overparam.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.overparam.InputError;
import org.overparam.io.NdArray;
import org.overparam.io.Npz;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.GdPrediction;
import org.overparam.kernel.Kernel;
import org.overparam.kernel.AnalyticKernel;
import org.overparam.kernel.CentresKernel;
import org.overparam.kernel.LocalCentresKernel;
import org.overparam.kernel.NystromKrr;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activation;
import org.overparam.nn.Arch;
import org.overparam.nn.Model;
import org.overparam.report.PaperChart;
import org.overparam.train.Loss;

/**
 * {@code overparam predict} as a library call: the outputs of gradient descent on our mse, in closed form
 * ({@link GdPrediction}), on training and test points at a list of steps and flow times (∞ included): for the
 * infinite-width NTK or NNGP of an architecture (an infinite ensemble: its mean from f_0 = 0 and its test covariance),
 * or for the linearization of a finite network read from a model file (f_0 its outputs, Θ its empirical NTK over every
 * output, (n·k) × (n·k)). Writes {@code DIR/predictions.npz}, {@code summary.json} and a figure of the test and training
 * mse against the step.
 */
public final class PredictRun {
    private PredictRun() {
    }

    /** Which kernel: the analytic NTK or NNGP (an infinite ensemble), or a finite network's empirical NTK. */
    public enum Kind {
        NTK, NNGP, MODEL
    }

    /** What to compute, every name parsed. {@code data} holds the config.json keys of the data options. */
    public record Spec(Kind kind, int depth, Parsed<List<Activation>> activation, double sigmaW, double sigmaB,
            Parsed<Arch> arch, String model, Map<String, Object> data, double lr, List<Double> steps,
            List<Double> times, double ridge, String out, int threads, int centres) {
        public Spec(Kind kind, int depth, Parsed<List<Activation>> activation, double sigmaW, double sigmaB,
                Parsed<Arch> arch, String model, Map<String, Object> data, double lr, List<Double> steps,
                List<Double> times, double ridge, String out, int threads) {
            this(kind, depth, activation, sigmaW, sigmaB, arch, model, data, lr, steps, times, ridge, out, threads, 0);
        }
    }

    /** The large-n solver's account: centres, CG iterations, residual, time per iteration against its products. */
    public record SolverReport(String solver, int centres, int iterations, double relativeResidual,
            double kernelSeconds, double secondsPerIteration, double matvecSeconds, double iterationOverMatvecs) {
    }

    /**
     * How the exact path solved: by the eigendecomposition (every step) or, when only k = ∞ was asked for and the
     * kernel is well conditioned, by Cholesky (with LAPACK's reciprocal condition estimate); and the seconds the
     * kernels and the solve took (the benchmark's numbers).
     */
    public record ExactReport(String method, Double reciprocalCondition, double kernelSeconds, double solveSeconds) {
    }

    /** One point of the trajectory and its errors. */
    public record Point(Double step, Double time, double trainMse, Double testMse, Double testAccuracy) {
    }

    /** What a run reports: the kernel's spectrum handling, the points, where it wrote. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Result(String kind, String kernel, int n, int nTest, int outputs, double lr, double ridge,
            Double lambdaMin, Double lambdaMax, Integer negativeEigenvaluesZeroed, Integer eigenvaluesDroppedAtInfinity,
            ExactReport exact, SolverReport solver, List<Point> points, String convention, String out, double seconds,
            Provenance provenance) {
    }

    /** Parses {@code 10,100,inf}: non-negative whole step counts or times, {@code inf} for ∞. */
    public static List<Double> parseList(String s, String option, boolean whole) {
        List<Double> out = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String t : s.split(",")) {
            String v = t.trim().toLowerCase(Locale.ROOT);
            double d;
            try {
                d = v.equals("inf") || v.equals("infinity") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new InputError(option + " takes comma-separated numbers and inf, e.g. 10,100,inf; got '" + t + "'");
            }
            if (!(d >= 0) || (whole && Double.isFinite(d) && d != Math.rint(d))) {
                throw new InputError(option + " values must be " + (whole ? "whole numbers" : "numbers") + " >= 0 or "
                        + "inf, got '" + t + "'");
            }
            out.add(d);
        }
        return out;
    }

    public static Result execute(Spec s) {
        return execute(s, LocalCentresKernel::new);
    }

    /** As {@link #execute(Spec)}, with K_nM of the {@code --centres} solver computed and held by {@code where}. */
    public static Result execute(Spec s, CentresKernel.Factory where) {
        long t0 = System.nanoTime();
        Blas.setThreads(s.threads());
        Parallel.setThreads(s.threads());
        if (s.steps().isEmpty() && s.times().isEmpty()) {
            throw new InputError("give the steps to predict at with --steps (e.g. 10,100,inf) or --times");
        }
        Map<String, Object> m = new LinkedHashMap<>(s.data());
        if (s.arch() != null) {
            m.put("arch", s.arch().text());
        }
        m.put("loss", "mse");
        m.put("activation", s.activation().text()); // a model file's activations are not in it
        RunConfig rc = RunConfig.defaults().with(m, "predict");
        LoadedData data = DataLoader.load(rc);
        if (data.testX() == null) {
            throw new InputError("predict needs test points: give --test-data/--test-labels, --test-dataset or "
                    + "--test-split");
        }
        int n = data.x().rows();
        int k = data.y().cols();
        int nt = data.testX().rows();
        if (s.centres() > 0) {
            return nystrom(s, rc, data, t0, where);
        }
        long side = s.kind() == Kind.MODEL ? (long) n * k : n;
        if (side * side > Matrix.MAX_BUFFERED) {
            throw new InputError("the exact path holds " + side + " x " + side + " kernels, past the 2 GiB (n <= 16383) "
                    + "overparam reads element by element; use --centres M (kernel regression past memory, --steps inf) "
                    + "or fewer points");
        }
        List<GdPrediction.When> whens = new ArrayList<>();
        s.steps().forEach(v -> whens.add(GdPrediction.When.step(v)));
        s.times().forEach(v -> whens.add(GdPrediction.When.time(v)));
        String kernelName;
        Matrix thetaTrain;
        Matrix thetaTestTrain;
        Matrix f0;
        Matrix ft0;
        Matrix y;
        Kernel nngpTrain = null;
        Kernel nngpCross = null;
        Kernel nngpTest = null;
        boolean ensemble = s.kind() != Kind.MODEL;
        long kernelStart = System.nanoTime();
        if (ensemble) {
            KernelPair kp = kernels(s, data);
            kernelName = kp.name();
            // a view, owned by the kernel pair (closing it frees nothing): one n × n matrix less at the largest n
            Matrix th = s.kind() == Kind.NTK ? kp.train().ntk() : kp.train().nngp();
            thetaTrain = th.rowBlock(0, th.rows());
            thetaTestTrain = (s.kind() == Kind.NTK ? kp.cross().ntk() : kp.cross().nngp()).copy();
            nngpTrain = kp.train();
            nngpCross = kp.cross();
            nngpTest = kp.test();
            f0 = Matrix.zeros(n, k);
            ft0 = Matrix.zeros(nt, k);
            y = data.y().copy();
        } else {
            Map<String, Object> withModel = new LinkedHashMap<>();
            withModel.put("init_model", s.model());
            withModel.put("hidden", null); // the shapes come from the file
            TrainRun.Built built = TrainRun.buildNetwork(rc.with(withModel, "predict"), data);
            try (Model net = built.net(); Matrix both = stack(data.x(), data.testX());
                    Matrix g = EmpiricalNtk.compute(net, both, null, OutputMode.FULL)) {
                kernelName = "empirical NTK of " + net.describe() + " (every output: (n*k) x (n*k))";
                thetaTrain = block(g, 0, n * k, 0, n * k);
                thetaTestTrain = block(g, n * k, (n + nt) * k, 0, n * k);
                // rows i·k + a: the full Gram's order, which is the row-major order of the n × k outputs
                try (Matrix p0 = net.predict(data.x()); Matrix pt = net.predict(data.testX())) {
                    f0 = Matrix.of(n * k, 1, p0.toArray());
                    ft0 = Matrix.of(nt * k, 1, pt.toArray());
                }
                y = Matrix.of(n * k, 1, data.y().toArray());
            }
        }
        List<Point> points = new ArrayList<>();
        int p = whens.size();
        double[] trainMean = new double[p * n * k];
        double[] testMean = new double[p * nt * k];
        double[] testCov = ensemble ? new double[p * nt * nt] : null;
        double kernelSeconds = (System.nanoTime() - kernelStart) * 1e-9;
        long solveStart = System.nanoTime();
        boolean onlyInfinity = whens.stream().allMatch(GdPrediction.When::infinite);
        try (GdPrediction g = new GdPrediction(thetaTrain, n, s.lr(), s.ridge(), onlyInfinity)) {
            for (int w = 0; w < p; w++) {
                GdPrediction.When when = whens.get(w);
                try (Matrix tr = g.train(f0, y, when); Matrix te = g.test(thetaTestTrain, ft0, f0, y, when)) {
                    System.arraycopy(tr.toArray(), 0, trainMean, w * n * k, n * k);
                    System.arraycopy(te.toArray(), 0, testMean, w * nt * k, nt * k);
                    try (Matrix trk = Matrix.of(n, k, tr.toArray()); Matrix tek = Matrix.of(nt, k, te.toArray())) {
                        points.add(new Point(Double.isNaN(when.steps()) ? null : when.steps(),
                                Double.isNaN(when.time()) ? null : when.time(), Loss.MSE.value(trk, data.y()),
                                Loss.MSE.value(tek, data.testY()), accuracy(tek, data.testY())));
                    }
                }
                if (ensemble) {
                    try (Matrix cov = g.covariance(thetaTestTrain, nngpTest.nngp(), nngpCross.nngp(),
                            nngpTrain.nngp(), when)) {
                        System.arraycopy(cov.toArray(), 0, testCov, w * nt * nt, nt * nt);
                    }
                }
            }
            Path dir = Path.of(s.out());
            double[] stepsArr = whens.stream().mapToDouble(GdPrediction.When::steps).toArray();
            double[] timesArr = whens.stream().mapToDouble(GdPrediction.When::time).toArray();
            boolean eigen = Double.isNaN(g.reciprocalCondition);
            ExactReport exact = new ExactReport(eigen ? "eigendecomposition" : "cholesky",
                    eigen ? null : g.reciprocalCondition, kernelSeconds, (System.nanoTime() - solveStart) * 1e-9);
            Result r = new Result(s.kind().name().toLowerCase(Locale.ROOT), kernelName, n, nt, k, s.lr(), s.ridge(),
                    eigen ? g.lambdaMin : null, eigen ? g.lambdaMax : null, eigen ? g.negativeEigenvalues : null,
                    eigen ? g.droppedEigenvalues : null, exact, null, points, CONVENTION,
                    dir.toAbsolutePath().toString(), (System.nanoTime() - t0) * 1e-9,
                    Provenance.of(s.threads(), rc.seed()));
            try (OutputFolder folder = new OutputFolder(dir)) {
                Map<String, NdArray> arrays = new LinkedHashMap<>();
                arrays.put("steps", NdArray.of(stepsArr, p));
                arrays.put("times", NdArray.of(timesArr, p));
                arrays.put("train_mean", NdArray.of(trainMean, p, n, k));
                arrays.put("test_mean", NdArray.of(testMean, p, nt, k));
                if (testCov != null) {
                    arrays.put("test_cov", NdArray.of(testCov, p, nt, nt));
                }
                Npz.write(arrays, folder.dir().resolve("predictions.npz"));
                TrainRun.writeJson(folder.dir().resolve("summary.json"), r);
                figure(points, folder.dir().resolve("predictions"), kernelName, n);
                folder.commit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return r;
        } finally {
            thetaTrain.close();
            thetaTestTrain.close();
            f0.close();
            ft0.close();
            y.close();
            for (Kernel kk : new Kernel[] {nngpTrain, nngpCross, nngpTest}) {
                if (kk != null) {
                    kk.close();
                }
            }
            data.x().close();
        }
    }

    /**
     * Kernel regression (step ∞) past memory: the Falkon-style solver on M centres drawn from the training points
     * (seeded), K_nM kept (O(n·M)), the n × n kernel never formed.
     */
    private static Result nystrom(Spec s, RunConfig rc, LoadedData data, long t0, CentresKernel.Factory where) {
        if (s.kind() == Kind.MODEL) {
            throw new InputError("--centres solves kernel regression with an analytic kernel; use --kind ntk or nngp");
        }
        if (!s.times().isEmpty() || s.steps().size() != 1 || s.steps().get(0) != Double.POSITIVE_INFINITY) {
            throw new InputError("--centres solves kernel regression, GD's limit: give --steps inf only");
        }
        int n = data.x().rows();
        int k = data.y().cols();
        int nt = data.testX().rows();
        if (s.centres() > n) {
            throw new InputError("--centres " + s.centres() + " exceeds the " + n + " training points");
        }
        AnalyticKernel kernel = analytic(s, data);
        String kernelName = kernel.describe();
        // M distinct training points at random (seeded): the centres
        int[] idx = java.util.stream.IntStream.range(0, n).toArray();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(rc.seed());
        for (int i = 0; i < s.centres(); i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        try (Matrix centres = Matrix.zeros(s.centres(), data.x().cols())) {
            for (int i = 0; i < s.centres(); i++) {
                centres.rowBlock(i, i + 1).copyFrom(data.x().rowBlock(idx[i], idx[i] + 1));
            }
            try (NystromKrr solver = new NystromKrr(kernel, data.x(), centres, s.ridge(), where)) {
                NystromKrr.Solve sol = solver.solve(data.y(), 1e-10, 10_000);
                double matvec = solver.matvecSeconds();
                try (Matrix alpha = sol.alpha(); Matrix ftr = solver.trainOutputs(alpha);
                        Matrix fte = NystromKrr.predict(kernel, data.testX(), centres, alpha)) {
                    Point p = new Point(Double.POSITIVE_INFINITY, null, Loss.MSE.value(ftr, data.y()),
                            Loss.MSE.value(fte, data.testY()), accuracy(fte, data.testY()));
                    SolverReport rep = new SolverReport("nystrom-pcg (Falkon-style)", s.centres(), sol.iterations(),
                            sol.relativeResidual(), solver.kernelSeconds, sol.secondsPerIteration(), matvec,
                            matvec > 0 ? sol.secondsPerIteration() / matvec : Double.NaN);
                    Path dir = Path.of(s.out());
                    Result r = new Result(s.kind().name().toLowerCase(Locale.ROOT), kernelName, n, nt, k, s.lr(),
                            s.ridge(), null, null, null, null, null, rep, List.of(p), CONVENTION + "; --centres M: the "
                                    + "Nystrom-restricted problem (K_nM^T K_nM + ridge K_MM) alpha = K_nM^T y on M "
                                    + "random training points, f(x) = K(x, centres) alpha (Rudi et al. 2017)",
                            dir.toAbsolutePath().toString(), (System.nanoTime() - t0) * 1e-9,
                            Provenance.of(s.threads(), rc.seed()));
                    try (OutputFolder folder = new OutputFolder(dir)) {
                        Map<String, NdArray> arrays = new LinkedHashMap<>();
                        arrays.put("steps", NdArray.of(new double[] {Double.POSITIVE_INFINITY}, 1));
                        arrays.put("times", NdArray.of(new double[] {Double.NaN}, 1));
                        arrays.put("train_mean", NdArray.of(ftr.toArray(), 1, n, k));
                        arrays.put("test_mean", NdArray.of(fte.toArray(), 1, nt, k));
                        arrays.put("centres", NdArray.of(java.util.Arrays.stream(idx, 0, s.centres())
                                .asDoubleStream().toArray(), s.centres()));
                        Npz.write(arrays, folder.dir().resolve("predictions.npz"));
                        TrainRun.writeJson(folder.dir().resolve("summary.json"), r);
                        folder.commit();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return r;
                }
            }
        } finally {
            data.x().close();
        }
    }

    static final String CONVENTION = "our mse L = (1/(2n)) sum_i ||f(x_i) - y_i||^2; GD step eta: f_k - y = "
            + "(I - eta Theta/n)^k (f_0 - y) on the training set, f_k(x) = f_0(x) + Theta(x,X) Theta^-1 (I - (I - eta "
            + "Theta/n)^k)(y - f_0(X)) on test points; --times: gradient flow e^(-eta t Theta/n); inf: kernel "
            + "regression (Theta + ridge I)^-1; neural-tangents' gradient_descent_mse (0.5 sum (f - y)^2 / (n k)) "
            + "with learning_rate = eta * k gives the same; ensembles start from f_0 = 0 (Lee et al. 2019, eqs. 15-16)";

    private record KernelPair(String name, Kernel train, Kernel cross, Kernel test) {
    }

    /** The analytic kernels train-train, test-train and test-test of the architecture asked for. */
    private static KernelPair kernels(Spec s, LoadedData data) {
        AnalyticKernel k = analytic(s, data);
        return new KernelPair(k.describe(), k.compute(data.x()), k.compute(data.testX(), data.x()),
                k.compute(data.testX()));
    }

    /** The analytic kernel of --kind, --depth, --activation or --arch, and the sigmas on this data's shape. */
    private static AnalyticKernel analytic(Spec s, LoadedData data) {
        return new AnalyticKernel(s.kind() == Kind.NTK, s.depth(), s.activation().text(), s.sigmaW(), s.sigmaB(),
                s.arch() == null ? null : s.arch().text(), data.shape());
    }

    /** Accuracy: argmax over outputs against one-hot or class targets, sign against ±1 targets; null otherwise. */
    public static Double accuracy(Matrix f, Matrix y) {
        int n = f.rows();
        int k = f.cols();
        int right = 0;
        if (k == 1) {
            for (int i = 0; i < n; i++) {
                double t = y.get(i, 0);
                if (t != 1 && t != -1) {
                    return null;
                }
                right += Math.signum(f.get(i, 0)) == t ? 1 : 0;
            }
            return (double) right / n;
        }
        for (int i = 0; i < n; i++) {
            int a = 0;
            int b = 0;
            for (int j = 1; j < k; j++) {
                a = f.get(i, j) > f.get(i, a) ? j : a;
                b = y.get(i, j) > y.get(i, b) ? j : b;
            }
            right += a == b ? 1 : 0;
        }
        return (double) right / n;
    }

    private static Matrix stack(Matrix a, Matrix b) {
        Matrix s = Matrix.zeros(a.rows() + b.rows(), a.cols());
        s.rowBlock(0, a.rows()).copyFrom(a);
        s.rowBlock(a.rows(), a.rows() + b.rows()).copyFrom(b);
        return s;
    }

    private static Matrix block(Matrix g, int r0, int r1, int c0, int c1) {
        Matrix out = Matrix.zeros(r1 - r0, c1 - c0);
        for (int i = r0; i < r1; i++) {
            for (int j = c0; j < c1; j++) {
                out.set(i - r0, j - c0, g.get(i, j));
            }
        }
        return out;
    }

    /** Test and training mse against the step (finite steps on a log axis; ∞ and flow times are in the summary). */
    private static void figure(List<Point> points, Path base, String kernel, int n) throws IOException {
        List<double[]> xs = new ArrayList<>();
        for (Point p : points) {
            if (p.step() != null && Double.isFinite(p.step()) && p.step() > 0) {
                xs.add(new double[] {p.step(), p.trainMse(), p.testMse() == null ? Double.NaN : p.testMse()});
            }
        }
        if (xs.size() < 2) {
            return;
        }
        double[] x = xs.stream().mapToDouble(v -> v[0]).toArray();
        PaperChart.of("GD in closed form, n=" + n, "GD step k", "mse (1/(2n)) sum (f - y)^2").logX().logY()
                .add("test (closed form)", x, xs.stream().mapToDouble(v -> v[2]).toArray(), PaperChart.Kind.PREDICTION)
                .add("train (closed form)", x, xs.stream().mapToDouble(v -> v[1]).toArray(), PaperChart.Kind.PREDICTION)
                .write(base);
    }
}
