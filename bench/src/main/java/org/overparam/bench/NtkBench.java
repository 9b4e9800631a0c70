package org.overparam.bench;

import java.util.Locale;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.GramSpectrum;
import org.overparam.kernel.JacobianGram;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;

/**
 * Benchmarks of the empirical NTK, printed as one JSON line: the structured Gram for n samples of a
 * d-m-m-1 ReLU net against (a) its own GEMM-flop bound at this machine's dgemm rate and (b) the direct
 * route Σ_b J_b J_bᵀ over parameter blocks. The direct route costs n²·P flops (hours at full size), so a
 * fraction of its parameter blocks is timed and the time scaled to all P (it is linear in P) — the output
 * says so. Also λmin of an N×N positive definite Gram by shift-invert Lanczos, with its residual.
 *
 * <p>Usage: {@code java -cp overparam-bench.jar org.overparam.bench.NtkBench [--n 2000] [--width 2048]
 * [--fraction 0.02] [--lambda-n 10000] [--repeats 3] [--only structured,analytic,lambda]}; every
 * time is the median of {@code repeats} runs in this process.
 */
public final class NtkBench {
    private NtkBench() {
    }

    public static void main(String[] args) {
        int n = 2000;
        int d = 784;
        int m = 2048;
        double fraction = 0.02;
        int lambdaN = 10000;
        int repeats = 3;
        int threads = Runtime.getRuntime().availableProcessors();
        java.util.Set<String> only = java.util.Set.of("structured", "analytic", "lambda");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--width" -> m = Integer.parseInt(args[++i]);
                case "--fraction" -> fraction = Double.parseDouble(args[++i]);
                case "--lambda-n" -> lambdaN = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        double rate = 2.0 * 4096 * 4096 * 4096 / Bench.median(Bench.dgemmSeconds(4096, 3));
        Matrix x = Bench.gaussian(n, d, 1);
        StringBuilder json = new StringBuilder("{\"bench\":\"ntk\",\"threads\":" + threads);
        json.append(String.format(Locale.ROOT, ",\"dgemm_gflops\":%.1f,\"n\":%d,\"d\":%d,\"width\":%d", rate / 1e9, n, d, m));
        if (only.contains("structured")) {
            structured(json, x, d, m, n, rate, repeats, fraction);
        }
        if (only.contains("analytic")) {
            analytic(json, lambdaN, d, repeats);
        }
        if (only.contains("lambda")) {
            lambda(json, lambdaN, repeats);
        }
        json.append('}');
        System.out.println(json);
    }

    private static void structured(StringBuilder json, Matrix x, int d, int m, int n, double rate, int repeats,
            double fraction) {
        try (Network net = Network.initialize(NetworkSpec.standard(d, new int[] {m, m}, 1, Activations.RELU), 2)) {
            double[] t = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                EmpiricalNtk.compute(net, x, null, OutputMode.TRACE).close();
                t[r] = (System.nanoTime() - t0) * 1e-9;
            }
            double structured = Bench.median(t);
            // GEMM flops: forward and backward passes, then per layer the two n×n products on the upper triangle.
            double fwd = 2.0 * n * ((double) d * m + (double) m * m + m);
            double bwd = 2.0 * n * ((double) m * m + m);
            double gram = (double) n * n * (d + m + m + m + m + 1);
            double flops = fwd + bwd + gram;
            double bound = flops / rate;
            json.append(String.format(Locale.ROOT, ",\"structured_seconds_median\":%.3f,\"structured_seconds_all\":%s,"
                    + "\"structured_gemm_flops\":%.3e,\"structured_bound_seconds\":%.3f,\"structured_over_bound\":%.2f",
                    structured, Bench.fmt(t), flops, bound, structured / bound));
            long t0 = System.nanoTime();
            JacobianGram.compute(net, x, allLayers(net), 64, fraction).close();
            double part = (System.nanoTime() - t0) * 1e-9;
            double direct = part / fraction;
            json.append(String.format(Locale.ROOT, ",\"direct_fraction_timed\":%.3f,\"direct_seconds_timed\":%.2f,"
                    + "\"direct_seconds_extrapolated\":%.1f,\"speedup_structured_vs_direct\":%.1f",
                    fraction, part, direct, direct / structured));
        }
    }

    private static void analytic(StringBuilder json, int lambdaN, int d, int repeats) {
        // Analytic NTK, n = lambdaN, d = 784, L = 3 (relu) against its bound: one n×n×d product (SYRK, as the
        // kernel computes it, with its mirror) plus one elementwise pass over the n² entries. Each repeat times the
        // bound and then the kernel back to back, so that every ratio compares neighbouring timings (the SYRK
        // alone drifts by ±15 % between runs on this machine); the ratio quoted is the median of them. The bound
        // is timed twice: writing a fresh n×n matrix, as the kernel does (first touches of fresh pages cost
        // 0.3-0.6 s here), and writing one matrix reused from repeat to repeat (pages already touched: the
        // stricter figure). Releases are not timed.
        Matrix xa = Bench.gaussian(lambdaN, d, 4);
        org.overparam.kernel.InfiniteWidthKernel ik = new org.overparam.kernel.InfiniteWidthKernel(3,
                Activations.RELU, 1.4, 0.1);
        // the NTK alone, as `overparam kernel --kind ntk` computes it; one untimed run at n = 2000 first, so that
        // the timed ones run compiled code (as the bound's pass does after its first repeat)
        try (Matrix warm = xa.rowBlock(0, Math.min(2000, lambdaN)).copy()) {
            ik.ntk(warm).close();
        }
        double[] fresh = new double[repeats];
        double[] touched = new double[repeats];
        double[] at = new double[repeats];
        double[] ratio = new double[repeats];
        double[] ratioTouched = new double[repeats];
        try (Matrix reused = Matrix.zeros(lambdaN, lambdaN)) {
            for (int r = 0; r < repeats; r++) {
                try (Matrix gg = Matrix.uninitialized(lambdaN, lambdaN)) {
                    fresh[r] = bound(xa, gg, d);
                }
                touched[r] = bound(xa, reused, d);
                long t0 = System.nanoTime();
                Matrix theta = ik.ntk(xa); // from X to the finished n×n matrix, its allocation included
                at[r] = (System.nanoTime() - t0) * 1e-9;
                theta.close();
                ratio[r] = at[r] / fresh[r];
                ratioTouched[r] = at[r] / touched[r];
            }
        }
        xa.close();
        json.append(String.format(Locale.ROOT, ",\"analytic_n\":%d,\"analytic_seconds_median\":%.3f,"
                + "\"analytic_seconds_all\":%s,\"analytic_bound_fresh_seconds\":%.3f,"
                + "\"analytic_bound_touched_seconds\":%.3f,\"analytic_over_bound_all\":%s,\"analytic_over_bound\":%.2f,"
                + "\"analytic_over_touched_bound_all\":%s,\"analytic_over_touched_bound\":%.2f", lambdaN,
                Bench.median(at), Bench.fmt(at), Bench.median(fresh), Bench.median(touched), Bench.fmt(ratio),
                Bench.median(ratio), Bench.fmt(ratioTouched), Bench.median(ratioTouched)));
    }

    /** The bound's time: SYRK with its mirror into {@code g}, then one elementwise pass over its n² entries. */
    private static double bound(Matrix xa, Matrix g, int d) {
        var gb = g.buffer();
        long t0 = System.nanoTime();
        Blas.syrk(false, 1.0 / d, xa, 0.0, g);
        Parallel.forRange((int) g.size(), g.rows(), (from, to) -> {
            for (int i = from; i < to; i++) {
                gb.put(i, Math.sqrt(Math.abs(gb.get(i)) + 1.0));
            }
        });
        return (System.nanoTime() - t0) * 1e-9;
    }

    private static void lambda(StringBuilder json, int lambdaN, int repeats) {
        // λmin of a positive definite lambdaN × lambdaN Gram (a random Gram AAᵀ with A lambdaN × (lambdaN + 500))
        Matrix a = Bench.gaussian(lambdaN, lambdaN + 500, 3);
        Matrix g = Blas.gramRows(a);
        a.close();
        double[] lt = new double[repeats];
        GramSpectrum sp = null;
        for (int r = 0; r < repeats; r++) {
            long t1 = System.nanoTime();
            sp = GramSpectrum.of(g, lambdaN, lambdaN, 0, false);
            lt[r] = (System.nanoTime() - t1) * 1e-9;
        }
        g.close();
        json.append(String.format(Locale.ROOT, ",\"lambda_min_n\":%d,\"lambda_min\":%.6e,\"lambda_min_residual\":%.2e,"
                + "\"lambda_min_relative_accuracy_bound\":%.2e,\"lambda_min_relative_residual\":%.2e,\"lambda_max\":%.6e,\"lambda_max_residual\":%.2e,"
                + "\"lambda_min_seconds\":%.2f,\"lambda_min_seconds_all\":%s,\"lambda_min_method\":\"%s\"",
                lambdaN, sp.lambdaMin(), sp.lambdaMinResidual(), sp.lambdaMinErrorBound() / sp.lambdaMin(),
                sp.lambdaMinResidual() / sp.lambdaMin(), sp.lambdaMax(), sp.lambdaMaxResidual(), Bench.median(lt), Bench.fmt(lt), sp.method()));
    }

    private static java.util.BitSet allLayers(Network net) {
        java.util.BitSet b = new java.util.BitSet();
        b.set(0, net.layers());
        return b;
    }
}
