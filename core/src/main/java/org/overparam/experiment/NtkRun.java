package org.overparam.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.InputError;
import org.overparam.data.Dataset;
import org.overparam.data.DatasetSpec;
import org.overparam.data.Preprocess;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.GramSpectrum;
import org.overparam.kernel.Jacobian;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.linalg.Rank;
import org.overparam.nn.Activation;
import org.overparam.nn.ModelFile;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;

/**
 * {@code overparam ntk} as a library call: the empirical NTK Gram of a network (from a model file or
 * freshly initialized) on data, optionally its spectrum and rank, saved as .npy.
 */
public final class NtkRun {
    private NtkRun() {
    }

    /** What to compute. {@code model} or {@code hidden} gives the network; {@code layers} which layers count. */
    public record Spec(String model, String hidden, String parameterization, double sigmaW, double sigmaB,
            boolean bias, long seed, String activation, String layers, String outputs, String data, String dataset,
            boolean normalize, String out, boolean spectrum, boolean allEigenvalues, double rankTol, int threads) {
    }

    /** Rank from the SVD of J when it has at most this many entries (400 MB), else from the Gram. */
    static final long SVD_ENTRIES = 50_000_000L;

    public static Map<String, Object> execute(Spec s) {
        long t0 = System.nanoTime();
        if (s.threads() < 1) {
            throw new InputError("--threads must be positive");
        }
        Blas.setThreads(s.threads());
        Parallel.setThreads(s.threads());
        if (s.out() != null && !s.out().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new InputError("--out " + s.out() + ": the Gram is written as .npy; use a .npy file name");
        }
        OutputMode mode = OutputMode.parse(s.outputs());
        List<Activation> acts = NetworkSpec.parseActivations(s.activation());
        Matrix x = loadInputs(s);
        Network net = network(s, acts, x.cols());
        double loadSeconds = (System.nanoTime() - t0) * 1e-9;
        try {
            BitSet layers = layerSet(s.layers(), net);
            long params = 0;
            for (int l = layers.nextSetBit(0); l >= 0; l = layers.nextSetBit(l + 1)) {
                params += net.layerLength(l);
            }
            int n = x.rows();
            int k = net.widths()[net.layers()];
            long tg = System.nanoTime();
            Matrix g = EmpiricalNtk.compute(net, x, layers, mode);
            double gramSeconds = (System.nanoTime() - tg) * 1e-9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("n", n);
            r.put("outputs", k);
            r.put("output_mode", mode.name().toLowerCase(java.util.Locale.ROOT));
            r.put("params", params);
            r.put("layers", layers.stream().boxed().toList());
            r.put("network", net.spec().toString());
            r.put("gram_shape", List.of(g.rows(), g.cols()));
            r.put("load_seconds", loadSeconds);
            r.put("gram_seconds", gramSeconds);
            if (s.out() != null) {
                long tw = System.nanoTime();
                writeNpy(g, mode, n, k, Path.of(s.out()));
                r.put("out", Path.of(s.out()).toAbsolutePath().toString());
                r.put("write_seconds", (System.nanoTime() - tw) * 1e-9);
            }
            long ts = System.nanoTime();
            // Ranks, eigenvalues and PL constants of vector-output nets use the full (nk)×(nk) Gram.
            Matrix spectral = g;
            if (k > 1 && mode != OutputMode.FULL && (s.spectrum())) {
                spectral = EmpiricalNtk.compute(net, x, layers, OutputMode.FULL);
                r.put("spectrum_of", "full (n*k)x(n*k) Gram");
            }
            int rows = spectral.rows();
            if (s.spectrum()) {
                GramSpectrum sp = GramSpectrum.of(spectral, rows, (int) Math.min(params, Integer.MAX_VALUE),
                        s.rankTol(), s.allEigenvalues());
                r.put("lambda_min", sp.lambdaMin());
                r.put("lambda_min_residual", sp.lambdaMinResidual());
                r.put("lambda_max", sp.lambdaMax());
                r.put("lambda_max_residual", sp.lambdaMaxResidual());
                r.put("condition_number", sp.conditionNumber());
                r.put("largest_eigenvalues", java.util.Arrays.stream(sp.largest()).boxed().toList());
                r.put("spectrum_method", sp.method());
                if ((long) rows * params <= SVD_ENTRIES) {
                    Matrix j = Jacobian.compute(net, x, layers);
                    Rank.Result rr = Rank.of(j, s.rankTol());
                    j.close();
                    r.put("rank", rr.rank());
                    r.put("rank_tol", rr.tolerance());
                    r.put("rank_rule", rr.rule());
                    r.put("rank_source", "SVD of the Jacobian J ((n*k) x P, materialized)");
                } else {
                    r.put("rank", sp.rank());
                    r.put("rank_tol", sp.rankTolerance());
                    r.put("rank_rule", sp.rankRule());
                    r.put("rank_source", sp.rankNote());
                }
            } else {
                // Only what is cheaper than the Gram: a Cholesky attempt decides full rank (n^3/3 flops).
                boolean pd = Lapack.isPositiveDefinite(spectral);
                r.put("rank", pd ? rows : null);
                r.put("rank_tol", null);
                r.put("rank_rule", "Cholesky of the Gram succeeded (numerically positive definite, so full rank)");
                r.put("rank_source", pd ? "Gram (squares the condition number); add --spectrum for eigenvalues"
                        : "Cholesky failed: the Gram is numerically singular (rank < n); add --spectrum for the count");
                r.put("lambda_min", null);
                r.put("lambda_max", null);
                r.put("condition_number", null);
            }
            r.put("rank_seconds", (System.nanoTime() - ts) * 1e-9);
            r.put("seconds", (System.nanoTime() - t0) * 1e-9);
            if (spectral != g) {
                spectral.close();
            }
            g.close();
            return r;
        } finally {
            net.close();
        }
    }

    static BitSet layerSet(String spec, Network net) {
        if (spec == null || spec.equals("trainable")) {
            BitSet b = new BitSet();
            for (int l = 0; l < net.layers(); l++) {
                if (net.isTrainable(l)) {
                    b.set(l);
                }
            }
            return b;
        }
        return TrainableLayers.parse(spec).resolveChecked(net.layers());
    }

    static Matrix loadInputs(Spec s) {
        if ((s.data() == null) == (s.dataset() == null)) {
            throw new InputError("give the inputs either as --data FILE or as --dataset SPEC");
        }
        Dataset ds;
        if (s.dataset() != null) {
            ds = DatasetSpec.load(s.dataset());
        } else {
            ds = DataLoader.fromFiles(s.data(), null);
        }
        if (s.normalize()) {
            ds = Preprocess.normalizeRows(ds);
        }
        NdArray a = ds.x();
        return Matrix.of(a.shape()[0], a.shape()[1], a.data());
    }

    static Network network(Spec s, List<Activation> acts, int d) {
        if (s.model() != null) {
            if (s.hidden() != null) {
                throw new InputError("--model and --hidden cannot be combined: the layer shapes come from the model file");
            }
            ModelFile mf = ModelFile.read(Path.of(s.model()));
            if (mf.inputDim() != d) {
                throw new InputError(s.model() + ": the model takes " + mf.inputDim() + " inputs but the data has " + d
                        + " features");
            }
            return mf.toNetwork(acts, TrainableLayers.ALL);
        }
        if (s.hidden() == null) {
            throw new InputError("give the network as --model FILE or --hidden W1,W2,... (with --seed)");
        }
        Parameterization p = Parameterization.parse(s.parameterization());
        int[] hidden = TrainRun.parseWidths(s.hidden());
        NetworkSpec spec = new NetworkSpec(d, hidden, 1, acts, p, s.sigmaW(), s.sigmaB(), s.bias(),
                p == Parameterization.DU2019 ? TrainableLayers.FIRST : TrainableLayers.ALL);
        return Network.initialize(spec, s.seed());
    }

    static void writeNpy(Matrix g, OutputMode mode, int n, int k, Path target) {
        int[] shape = mode == OutputMode.BLOCKS ? new int[] {k, n, n} : new int[] {g.rows(), g.cols()};
        try {
            Path abs = target.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = abs.resolveSibling("." + abs.getFileName() + ".partial.npy");
            Npy.writeFloat64(shape, g.littleEndianBytes(), tmp);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InputError("cannot write " + target + " (" + e.getMessage() + ")");
        }
    }
}
