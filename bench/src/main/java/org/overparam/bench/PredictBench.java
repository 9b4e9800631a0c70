package org.overparam.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.openblas.global.openblas;
import org.overparam.experiment.Parsed;
import org.overparam.experiment.PredictRun;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Cholesky;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.NetworkSpec;

/**
 * The exact kernel-regression path of {@code overparam predict --steps inf} (analytic NTK ensemble: kernels, Cholesky,
 * test mean and covariance) against its GEMM/Cholesky bound: the time of the dense BLAS/LAPACK calls its math cannot
 * do without, on matrices of the same sizes, measured in the same process — the Gram products X·Xᵀ (train, test-train,
 * test), dpotrf of the n × n kernel, the mean's two triangular solves, and the covariance's two triangular solves and
 * four products with n_t right-hand sides. What the bound leaves out (the activations' dual maps per kernel entry, copies) is what the ratio measures.
 * Then the Nyström solver ({@code --centres M}) on the largest n, beside the exact path's time and test error.
 *
 * <p>Usage: {@code java -cp overparam-bench.jar org.overparam.bench.PredictBench [--n 5000,10000] [--d 784]
 * [--test 1000] [--depth 1] [--repeats 3] [--centres 2000]}; one JSON line per size, medians of {@code repeats}.
 */
public final class PredictBench {
    private PredictBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(5000, 10000);
        int d = 784;
        int nt = 1000;
        int depth = 1;
        int repeats = 3;
        int centres = 2000;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> sizes = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--d" -> d = Integer.parseInt(args[++i]);
                case "--test" -> nt = Integer.parseInt(args[++i]);
                case "--depth" -> depth = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--centres" -> centres = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        Path work = Files.createTempDirectory("predict-bench");
        double exactLargest = Double.NaN;
        double exactMse = Double.NaN;
        int largest = sizes.get(sizes.size() - 1);
        for (int n : sizes) {
            double[] kernel = new double[repeats];
            double[] solve = new double[repeats];
            PredictRun.Result r = null;
            for (int rep = 0; rep < repeats; rep++) {
                r = PredictRun.execute(spec(n, d, nt, depth, 0, work.resolve("exact-" + n + "-" + rep)));
                kernel[rep] = r.exact().kernelSeconds();
                solve[rep] = r.exact().solveSeconds();
            }
            double[] bk = new double[repeats];
            double[] bs = new double[repeats];
            for (int rep = 0; rep < repeats; rep++) {
                double[] b = bound(n, d, nt);
                bk[rep] = b[0];
                bs[rep] = b[1];
            }
            double total = Bench.median(sum(kernel, solve));
            double bound = Bench.median(sum(bk, bs));
            System.out.println(String.format(Locale.ROOT, "{\"bench\":\"predict-exact\",\"threads\":%d,\"n\":%d,\"n_test\":%d,"
                    + "\"d\":%d,\"depth\":%d,\"method\":\"%s\",\"kernel_s\":%.2f,\"solve_s\":%.2f,\"bound_gemm_s\":%.2f,"
                    + "\"bound_cholesky_s\":%.2f,\"ratio\":%.3f,\"test_mse\":%.4g,\"runs\":%d}", threads, n, nt, d, depth,
                    r.exact().method(), Bench.median(kernel), Bench.median(solve), Bench.median(bk), Bench.median(bs),
                    total / bound, r.points().get(0).testMse(), repeats));
            if (n == largest) {
                exactLargest = Bench.median(r == null ? new double[] {0} : sum(kernel, solve));
                exactMse = r.points().get(0).testMse();
            }
        }
        if (centres > 0) {
            PredictRun.Result ny = PredictRun.execute(spec(largest, d, nt, depth, centres, work.resolve("nystrom")));
            PredictRun.SolverReport s = ny.solver();
            System.out.println(String.format(Locale.ROOT, "{\"bench\":\"predict-nystrom-vs-exact\",\"n\":%d,\"centres\":%d,"
                    + "\"kernel_s\":%.2f,\"iterations\":%d,\"iteration_over_matvecs\":%.3f,\"nystrom_total_s\":%.2f,"
                    + "\"exact_total_s\":%.2f,\"nystrom_test_mse\":%.4g,\"exact_test_mse\":%.4g}", largest, centres,
                    s.kernelSeconds(), s.iterations(), s.iterationOverMatvecs(),
                    s.kernelSeconds() + s.iterations() * s.secondsPerIteration(), exactLargest,
                    ny.points().get(0).testMse(), exactMse));
        }
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /** predict --kind ntk --steps inf --ridge 1e-3 on margin-separated data, n training and nt test points. */
    static PredictRun.Spec spec(int n, int d, int nt, int depth, int centres, Path out) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dataset", "margin:n=" + (n + nt) + ",d=" + d + ",gamma=0.1");
        data.put("test_split", (double) nt / (n + nt));
        return new PredictRun.Spec(PredictRun.Kind.NTK, depth, new Parsed<>(NetworkSpec.parseActivations("relu"), "relu"),
                1.0, 0.0, null, null, data, 1.0, List.of(Double.POSITIVE_INFINITY), List.of(), 1e-3, out.toString(),
                Runtime.getRuntime().availableProcessors(), centres);
    }

    /** Seconds of {GEMM part, Cholesky part} of the bound, once. */
    static double[] bound(int n, int d, int nt) {
        try (Matrix x = Bench.gaussian(n, d, 1); Matrix xt = Bench.gaussian(nt, d, 2);
                Matrix kxx = Matrix.zeros(n, n); Matrix ktx = Matrix.zeros(nt, n); Matrix ktt = Matrix.zeros(nt, nt)) {
            long t0 = System.nanoTime();
            Blas.syrk(false, 1.0 / d, x, 0.0, kxx);
            Blas.gemm(false, true, 1.0 / d, xt, x, 0.0, ktx);
            Blas.syrk(false, 1.0 / d, xt, 0.0, ktt);
            double gemm = (System.nanoTime() - t0) * 1e-9;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    kxx.set(i, j, kxx.get(j, i));
                }
                kxx.set(i, i, kxx.get(i, i) + 1.0);
            }
            try (Matrix l = kxx.copy(); Matrix at = ktx.transpose(); Matrix kat = Matrix.zeros(n, nt);
                    Matrix cov = Matrix.zeros(nt, nt); Matrix mean = Matrix.zeros(n, 1).fill(1.0)) {
                Blas.load();
                long t1 = System.nanoTime();
                openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, l.pointer(), n);
                Cholesky c = new Cholesky(l);
                c.triangularSolve(false, mean); // the test mean's (Θ + ridge I)⁻¹ y
                c.triangularSolve(true, mean);
                c.triangularSolve(false, at);
                c.triangularSolve(true, at);
                Blas.gemm(false, false, 1.0, kxx, at, 0.0, kat);
                Blas.gemm(true, false, 1.0, at, kat, 0.0, cov);
                Blas.gemm(false, false, -1.0, ktx, at, 1.0, cov);
                Blas.gemm(true, true, -1.0, at, ktx, 1.0, cov);
                return new double[] {gemm, (System.nanoTime() - t1) * 1e-9};
            }
        }
    }
}
