package org.overparam.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * The engine's performance proof: in one process, the dgemm rate of the BLAS on this machine (the bound)
 * and the time of one full-batch GD step of a wide MLP (n=2048, d=784, hidden 2048,2048, 10 outputs, mse,
 * relu), reported as efficiency = (step FLOPs / dgemm rate) / step time. Prints one JSON line; the script
 * bench/run-bench.sh adds numpy's time for the same step, measured in the same session, and the ratio.
 *
 * <p>Usage: {@code java -jar bench/target/overparam-bench.jar [--threads T] [--repeats R] [--n N] [--width M]
 * [--record-every K]}
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        int threads = Runtime.getRuntime().availableProcessors();
        int repeats = 7;
        int n = 2048;
        int d = 784;
        int width = 2048;
        int k = 10;
        int recordEvery = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--width" -> width = Integer.parseInt(args[++i]);
                case "--record-every" -> recordEvery = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        double[] gemm = dgemmSeconds(4096, 5);
        double gemmMedian = median(gemm);
        double rate = 2.0 * 4096 * 4096 * 4096 / gemmMedian;

        NetworkSpec spec = NetworkSpec.standard(d, new int[] {width, width}, k, Activations.RELU);
        double flops = stepFlops(n, d, width, k);
        Matrix x = gaussian(n, d, 1);
        Matrix y = gaussian(n, k, 2);
        double[] step = new double[repeats];
        try (Network net = Network.initialize(spec, 3)) {
            // One run of repeats + 2 steps; step k's time is the gap between the observer's calls for k−1 and k
            // (forward, loss, backward, update). The first two steps are warm-up (JIT, first touch of buffers).
            double[] stamps = new double[repeats + 3];
            new Trainer(net, x, y, TrainSpec.gd(Loss.MSE, 1e-3, repeats + 2, 0).withRecordEvery(recordEvery))
                    .observe((rec, nn) -> stamps[(int) rec.step()] = rec.seconds()).run();
            for (int r = 0; r < repeats; r++) {
                step[r] = stamps[r + 2] - stamps[r + 1];
            }
        }
        double stepMedian = median(step);
        double bound = flops / rate;
        System.out.println(String.format(Locale.ROOT,
                "{\"engine\":\"overparam\",\"blas\":\"%s\",\"threads\":%d,\"dgemm_gflops\":%.1f,"
                        + "\"dgemm_seconds_all\":%s,\"n\":%d,\"d\":%d,\"hidden\":[%d,%d],\"k\":%d,"
                        + "\"flops_per_step\":%.0f,\"step_bound_seconds\":%.4f,\"step_seconds_median\":%.4f,"
                        + "\"step_seconds_all\":%s,\"efficiency\":%.3f,\"record_every\":%d}",
                Blas.describe(), threads, rate / 1e9, fmt(gemm), n, d, width, width, k, flops, bound, stepMedian,
                fmt(step), bound / stepMedian, recordEvery));
    }

    /**
     * GEMM FLOPs of one GD step: forward (3 products), weight gradients (3), backpropagated signals into
     * hidden layers 2 and 1 (2; none into the input), each 2·m·n·k. Elementwise work is not counted.
     */
    static double stepFlops(double n, double d, double m, double k) {
        double fwd = 2 * n * (d * m + m * m + m * k);
        double wgrad = fwd;
        double signals = 2 * n * (m * m + m * k);
        return fwd + wgrad + signals;
    }

    static double[] dgemmSeconds(int size, int repeats) {
        Matrix a = gaussian(size, size, 7);
        Matrix b = gaussian(size, size, 8);
        Matrix c = Matrix.zeros(size, size);
        Blas.gemm(false, false, 1.0, a, b, 0.0, c);
        double[] t = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            Blas.gemm(false, false, 1.0, a, b, 0.0, c);
            t[r] = (System.nanoTime() - t0) * 1e-9;
        }
        a.close();
        b.close();
        c.close();
        return t;
    }

    static Matrix gaussian(int r, int c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix m = Matrix.zeros(r, c);
        var buf = m.buffer();
        for (int i = 0; i < m.size(); i++) {
            buf.put(i, rng.nextGaussian() * 0.05);
        }
        return m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return sb.append(']').toString();
    }
}
