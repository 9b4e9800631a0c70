package org.overparam.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.overparam.io.Npy;
import org.overparam.kernel.ModelNtk;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Arch;
import org.overparam.nn.ArchStateDict;
import org.overparam.nn.LayerNet;
import org.overparam.nn.Model;
import org.overparam.nn.Parameterization;
import org.overparam.nn.Shape;
import org.overparam.train.Loss;

/**
 * One GD step and the empirical NTK of a small CNN, in process, on the model and data bench/torch_cnn.py wrote (its
 * state dict, images and labels): prints one JSON line with the median seconds of {@code repeats} runs each, for
 * bench/run-cnn-bench.sh to set beside PyTorch's.
 *
 * <p>Usage: {@code java -cp overparam-bench.jar org.overparam.bench.CnnBench DIR ARCH [--repeats R] [--threads T]
 * [--ntk-n N]}
 */
public final class CnnBench {
    private CnnBench() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String arch = args[1];
        int repeats = 5;
        int threads = Runtime.getRuntime().availableProcessors();
        int ntkN = 100;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--ntk-n" -> ntkN = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        var xa = Npy.read(dir.resolve("X.npy"));
        int[] s = xa.shape();
        Matrix x = Matrix.of(s[0], s[1] * s[2] * s[3], xa.data());
        var ya = Npy.read(dir.resolve("Y.npy"));
        Matrix y = Matrix.of(ya.shape()[0], ya.shape()[1], ya.data());
        LayerNet.Spec spec = new LayerNet.Spec(Arch.parse(arch), Shape.image(s[1], s[2], s[3]),
                Parameterization.STANDARD, 1, 0, true);
        LayerNet net = ArchStateDict.read(spec, dir.resolve("state.npz"));
        int n = x.rows();
        double[] step = new double[repeats + 2];
        try (Model.Pass pass = net.pass(n); Matrix d = Matrix.zeros(n, net.outputSize())) {
            for (int r = 0; r < step.length; r++) { // two warm-up steps, then the timed ones
                long t0 = System.nanoTime();
                Loss.MSE.gradient(pass.forward(x), y, d);
                pass.backward(x, d, net.parameters(), -1e-3, 1.0);
                step[r] = (System.nanoTime() - t0) * 1e-9;
            }
        }
        double[] timedStep = java.util.Arrays.copyOfRange(step, 2, step.length);
        double[] ntk = new double[Math.max(1, repeats / 2) + 1];
        Matrix xs = x.rowBlock(0, Math.min(ntkN, n));
        double trace = 0;
        for (int r = 0; r < ntk.length; r++) {
            long t0 = System.nanoTime();
            try (Matrix g = ModelNtk.compute(net, xs, OutputMode.TRACE)) {
                ntk[r] = (System.nanoTime() - t0) * 1e-9;
                trace = 0;
                for (int i = 0; i < g.rows(); i++) {
                    trace += g.get(i, i);
                }
            }
        }
        double[] timedNtk = java.util.Arrays.copyOfRange(ntk, 1, ntk.length);
        System.out.println(String.format(Locale.ROOT, "{\"bench\":\"cnn\",\"threads\":%d,\"batch\":%d,\"params\":%d,"
                + "\"gd_step_seconds\":%.6g,\"ntk_n\":%d,\"ntk_seconds\":%.6g,\"ntk_trace\":%.17g}", threads, n,
                net.parameterCount(), Bench.median(timedStep), xs.rows(), Bench.median(timedNtk), trace));
    }
}
