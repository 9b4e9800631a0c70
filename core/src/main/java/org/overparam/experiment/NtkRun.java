package org.overparam.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.List;
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
import org.overparam.kernel.ModelNtk;
import org.overparam.nn.Activation;
import org.overparam.nn.Arch;
import org.overparam.nn.ArchStateDict;
import org.overparam.nn.LayerNet;
import org.overparam.nn.ModelFile;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;
import org.overparam.stats.LogLogFit;

/**
 * {@code overparam ntk} as a library call: the empirical NTK Gram of a network (from a model file or
 * freshly initialized) on data, optionally its spectrum and rank, saved as .npy.
 */
public final class NtkRun {
    private NtkRun() {
    }

    /**
     * What to compute, every name already parsed (by the command line). {@code model} or {@code hidden} gives the
     * network; {@code layers} which layers count (null: the trainable ones); {@code mcWidths} the Monte-Carlo widths
     * of {@code compareInfinite}.
     */
    public record Spec(String model, List<Integer> hidden, Parameterization parameterization, double sigmaW,
            double sigmaB, boolean bias, long seed, List<Activation> activations, TrainableLayers layers,
            OutputMode outputs, String data, String dataset, boolean normalize, String out, boolean spectrum,
            boolean allEigenvalues, double rankTol, int threads, boolean compareInfinite, int mcSamples,
            List<Integer> mcWidths, Parsed<Arch> arch) {
        public Spec(String model, List<Integer> hidden, Parameterization parameterization, double sigmaW,
                double sigmaB, boolean bias, long seed, List<Activation> activations, TrainableLayers layers,
                OutputMode outputs, String data, String dataset, boolean normalize, String out, boolean spectrum,
                boolean allEigenvalues, double rankTol, int threads, boolean compareInfinite, int mcSamples,
                List<Integer> mcWidths) {
            this(model, hidden, parameterization, sigmaW, sigmaB, bias, seed, activations, layers, outputs, data,
                    dataset, normalize, out, spectrum, allEigenvalues, rankTol, threads, compareInfinite, mcSamples,
                    mcWidths, null);
        }
    }

    /** {@code --layers}: {@code trainable} (null) or a {@link TrainableLayers} spelling. */
    public static TrainableLayers parseLayers(String spec) {
        return spec.trim().equalsIgnoreCase("trainable") ? null : TrainableLayers.parse(spec);
    }

    /** {@code --mc-widths}: comma-separated positive widths below 2^31 (their memory is checked with the data). */
    public static List<Integer> parseWidthList(String spec) {
        List<Integer> widths = new java.util.ArrayList<>();
        for (String t : spec.split(",")) {
            long m;
            try {
                m = Long.parseLong(t.trim());
            } catch (NumberFormatException e) {
                throw new InputError("--mc-widths must be comma-separated widths such as 64,256,1024, got '" + spec + "'");
            }
            if (m <= 0 || m > Integer.MAX_VALUE) {
                throw new InputError("--mc-widths must be positive widths below 2^31, got " + m);
            }
            widths.add((int) m);
        }
        return List.copyOf(widths);
    }

    /** Rank from the SVD of J when it has at most this many entries (400 MB), else from the Gram. */
    static final long SVD_ENTRIES = 50_000_000L;

    public static NtkAnalysis execute(Spec s) {
        long t0 = System.nanoTime();
        if (s.threads() < 1) {
            throw new InputError("--threads must be positive");
        }
        if (s.out() != null && !s.out().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new InputError("--out " + s.out() + ": the Gram is written as .npy; use a .npy file name");
        }
        if (s.arch() != null) {
            return executeArch(s, t0);
        }
        OutputMode mode = s.outputs();
        List<Activation> acts = s.activations();
        if (s.model() != null && s.hidden() != null) {
            throw new InputError("--model and --hidden cannot be combined: the layer shapes come from the model file");
        }
        // OpenBLAS's native library is loaded before a second thread exists: the model reader allocates off-heap
        // buffers, and JavaCPP's Pointer class initializer waits for the Loader lock that Blas.load holds while it
        // in turn needs Pointer initialized, a deadlock seen once in ~45 runs (issue 10).
        Blas.setThreads(s.threads());
        Parallel.setThreads(s.threads());
        // The model file is parsed on a second thread while this one loads the inputs: both are CPU-bound
        // decoding of tens of MB, and a cold process has nothing else to do. The inputs' errors are reported
        // first, so which mistake is named does not depend on timing.
        java.util.concurrent.CompletableFuture<ModelFile> model = s.model() == null ? null
                : java.util.concurrent.CompletableFuture.supplyAsync(() -> ModelFile.read(Path.of(s.model())), r -> {
                    Thread t = new Thread(r, "overparam-model-reader");
                    t.setDaemon(true);
                    t.start();
                });
        Matrix x = loadInputs(s);
        Network net = network(s, acts, x.cols(), model == null ? null : joinModel(model));
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
            List<Integer> layerList = layers.stream().boxed().toList();
            // the shape of the Gram as written to --out: (k, n, n) for blocks
            List<Integer> gramShape = mode == OutputMode.BLOCKS ? List.of(k, n, n) : List.of(g.rows(), g.cols());
            // The .npy is written on its own thread while the spectrum/rank work runs: the write is mostly the
            // kernel copying pages, the rank is BLAS; neither modifies the Gram.
            java.util.concurrent.CompletableFuture<Double> written = null;
            String outPath = null;
            if (s.out() != null) {
                written = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    long tw = System.nanoTime();
                    writeNpy(g, mode, n, k, Path.of(s.out()));
                    return (System.nanoTime() - tw) * 1e-9;
                }, runnable -> {
                    Thread t = new Thread(runnable, "overparam-npy-writer");
                    t.setDaemon(true);
                    t.start();
                });
                outPath = Path.of(s.out()).toAbsolutePath().toString();
            }
            long ts = System.nanoTime();
            // Ranks, eigenvalues and PL constants of vector-output nets use the full (nk)×(nk) Gram.
            Matrix spectral = g;
            String spectrumOf = null;
            if (k > 1 && mode != OutputMode.FULL && (s.spectrum())) {
                spectral = EmpiricalNtk.compute(net, x, layers, OutputMode.FULL);
                spectrumOf = "full (n*k)x(n*k) Gram";
            }
            int rows = spectral.rows();
            NtkAnalysis.Spectrum spectrum = null;
            NtkAnalysis.RankOnly rankOnly = null;
            if (s.spectrum()) {
                GramSpectrum sp = GramSpectrum.of(spectral, rows, (int) Math.min(params, Integer.MAX_VALUE),
                        s.rankTol(), s.allEigenvalues());
                Integer rank;
                double rankTol;
                String rankRule;
                String rankSource;
                if ((long) rows * params <= SVD_ENTRIES) {
                    Matrix j = Jacobian.compute(net, x, layers);
                    Rank.Result rr = Rank.of(j, s.rankTol());
                    j.close();
                    rank = rr.rank();
                    rankTol = rr.tolerance();
                    rankRule = rr.rule();
                    rankSource = "SVD of the Jacobian J ((n*k) x P, materialized)";
                } else {
                    rank = sp.rank();
                    rankTol = sp.rankTolerance();
                    rankRule = sp.rankRule();
                    rankSource = sp.rankNote();
                }
                spectrum = new NtkAnalysis.Spectrum(sp.lambdaMin(), sp.lambdaMinResidual(), sp.lambdaMax(),
                        sp.lambdaMaxResidual(), sp.conditionNumber(), sp.largest(), sp.method(), rank, rankTol, rankRule,
                        rankSource);
            } else if (spectral.rows() != spectral.cols() || (k > 1 && mode != OutputMode.FULL)) {
                rankOnly = new NtkAnalysis.RankOnly(null, null, "not computed: the rank of a " + k
                        + "-output net needs the full (n*k)x(n*k) Gram, "
                        + "which costs more than the one asked for; add --spectrum or --outputs full");
            } else if (choleskyFlops(rows) > gramFlops(net, layers, n)) {
                rankOnly = new NtkAnalysis.RankOnly(null, null, "not computed: deciding it (a Cholesky of the Gram, "
                        + "n^3/3 flops) would cost more than the Gram itself; add --spectrum");
            } else {
                // Only what is cheaper than the Gram: a Cholesky attempt decides full rank (n^3/3 flops).
                boolean pd = Lapack.isPositiveDefinite(spectral);
                rankOnly = new NtkAnalysis.RankOnly(pd ? rows : null,
                        pd ? "Cholesky of the Gram succeeded (numerically positive definite, so full rank)"
                                : "Cholesky of the Gram failed (numerically not positive definite, so rank < n)",
                        "Gram (squares the condition number); add --spectrum for " + (pd ? "eigenvalues" : "the count"));
            }
            double rankSeconds = (System.nanoTime() - ts) * 1e-9;
            Double writeSeconds = null;
            if (written != null) {
                try {
                    writeSeconds = written.join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw e;
                }
            }
            CompareInfinite compare = s.compareInfinite() ? compareInfinite(s, net, x, layers, g) : null;
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (spectral != g) {
                spectral.close();
            }
            g.close();
            return new NtkAnalysis(n, k, mode.name().toLowerCase(java.util.Locale.ROOT), params, layerList,
                    net.spec().toString(), gramShape, loadSeconds, gramSeconds, outPath, spectrumOf, spectrum, rankOnly,
                    rankSeconds, writeSeconds, compare, seconds,
                    Provenance.of(s.threads(), s.model() == null ? s.seed() : null));
        } finally {
            net.close();
        }
    }

    /**
     * The empirical NTK against the analytic infinite-width NTK of the same architecture: the relative
     * Frobenius distance ‖Θ̂ − Θ∞‖_F/‖Θ∞‖_F of this network, then of {@code mcSamples} random networks at each
     * width in {@code mcWidths}, with mean and standard deviation over seeds, and the fitted exponent b of
     * distance ≈ a·m^b (the theory predicts b = −1/2: fluctuations of a sum over m units).
     */
    static CompareInfinite compareInfinite(Spec s, Network net, Matrix x, BitSet layers, Matrix g) {
        if (s.model() != null) {
            throw new InputError("--compare-infinite needs a network built here with --hidden and --parameterization ntk:"
                    + " a model file holds standard-form weights, whose NTK is not on the infinite-width scale without rescaling");
        }
        if (net.spec().parameterization() != Parameterization.NTK) {
            throw new InputError("--compare-infinite needs --parameterization ntk: under " + s.parameterization().cliName()
                    + " the empirical NTK grows with the width and has no finite limit to compare with");
        }
        if (layers.cardinality() != net.layers()) {
            throw new InputError("--compare-infinite compares the NTK of all layers; drop --layers");
        }
        int depth = net.layers() - 1;
        double sb = net.spec().bias() ? s.sigmaB() : 0.0;
        org.overparam.kernel.InfiniteWidthKernel ik = new org.overparam.kernel.InfiniteWidthKernel(depth,
                net.spec().activations(), s.sigmaW(), sb);
        try (Matrix theta = ik.ntk(x)) {
            String analytic = "neural-tangents stax.serial(*[Dense(W_std=" + s.sigmaW() + ", b_std=" + sb + "), act] * "
                    + depth + ", Dense(1)), parameterization='ntk'";
            double distance = relativeDistance(g, theta);
            int samples = Math.max(1, s.mcSamples());
            List<Integer> widths = mcWidths(s.mcWidths(), x.rows(), x.cols(), depth);
            List<CompareInfinite.MonteCarlo> rows = new java.util.ArrayList<>();
            double[] means = new double[widths.size()];
            for (int wi = 0; wi < widths.size(); wi++) {
                int m = widths.get(wi);
                if (m <= 0) {
                    throw new InputError("--mc-widths must be positive, got " + m);
                }
                double[] d = new double[samples];
                for (int sample = 0; sample < samples; sample++) {
                    int[] hidden = new int[depth];
                    java.util.Arrays.fill(hidden, m);
                    NetworkSpec spec = new NetworkSpec(x.cols(), hidden, 1, net.spec().activations(),
                            Parameterization.NTK, s.sigmaW(), s.sigmaB(), net.spec().bias(), TrainableLayers.ALL);
                    try (Network mc = Network.initialize(spec, s.seed() + 1 + 7919L * sample + 104729L * wi);
                            Matrix gm = EmpiricalNtk.compute(mc, x, null, OutputMode.TRACE)) {
                        d[sample] = relativeDistance(gm, theta);
                    }
                }
                double mean = java.util.Arrays.stream(d).average().orElse(Double.NaN);
                double sd = Math.sqrt(java.util.Arrays.stream(d).map(v -> (v - mean) * (v - mean)).sum()
                        / Math.max(1, samples - 1));
                rows.add(new CompareInfinite.MonteCarlo(m, samples, mean, samples > 1 ? sd : null));
                means[wi] = mean;
            }
            return new CompareInfinite(analytic, distance, rows, widthFit(widths, means, samples));
        }
    }

    /**
     * The fitted exponent b of mean distance ≈ a·m^b ({@link LogLogFit}, least squares on logs) with the exponent
     * the theory expects; over the widths whose mean distance has a logarithm. With fewer than two distinct such
     * widths (one width, a width given twice, a distance of 0 or NaN) {@code fitted_exponent} is null and
     * {@code fit} says "not enough points", rather than a NaN or infinite exponent.
     */
    static CompareInfinite.WidthFit widthFit(List<Integer> widths, double[] means, int samples) {
        java.util.Optional<LogLogFit> fit = LogLogFit.ofUsable(widths.stream().mapToDouble(Integer::doubleValue)
                .toArray(), means, 0.95);
        String how;
        if (fit.isEmpty()) {
            how = "not enough points: need two distinct widths with a positive finite mean distance, got widths "
                    + widths + " with means " + java.util.Arrays.toString(means);
        } else {
            int k = fit.get().points();
            how = "least squares of log(mean distance) on log(width) over " + (k < widths.size() ? k + " of "
                    : "") + widths.size() + " widths" + (k < widths.size() ? " (the rest: distance 0 or not finite)" : "")
                    + ", " + samples + " seeds each";
        }
        return new CompareInfinite.WidthFit(fit.map(LogLogFit::slope).orElse(null), -0.5, how);
    }

    static double relativeDistance(Matrix a, Matrix b) {
        double num = 0;
        double den = 0;
        var ab = a.buffer();
        var bb = b.buffer();
        for (int i = 0, size = (int) a.size(); i < size; i++) {
            double d = ab.get(i) - bb.get(i);
            num += d * d;
            den += bb.get(i) * bb.get(i);
        }
        return Math.sqrt(num / den);
    }

    static double choleskyFlops(int n) {
        return (double) n * n * n / 3;
    }

    /** GEMM flops of the structured Gram: forward and signals over n samples, then the upper-triangle products. */
    static double gramFlops(Network net, BitSet layers, int n) {
        int[] w = net.widths();
        double passes = 0;
        for (int l = 0; l < net.layers(); l++) {
            passes += 4.0 * n * w[l] * w[l + 1];
        }
        double products = 0;
        for (int l = layers.nextSetBit(0); l >= 0; l = layers.nextSetBit(l + 1)) {
            products += (double) n * n * (w[l] + w[l + 1]);
        }
        return passes + products;
    }

    static BitSet layerSet(TrainableLayers spec, Network net) {
        if (spec == null) {
            BitSet b = new BitSet();
            for (int l = 0; l < net.layers(); l++) {
                if (net.isTrainable(l)) {
                    b.set(l);
                }
            }
            return b;
        }
        return spec.resolveChecked(net.layers());
    }

    /**
     * --mc-widths checked before any network is built: Monte-Carlo networks whose
     * parameters and per-layer activations fit in the off-heap limit (width 10⁸ allocated 3.9 GB, then failed with an
     * index error).
     */
    static List<Integer> mcWidths(List<Integer> asked, int n, int d, int depth) {
        List<Integer> widths = new java.util.ArrayList<>();
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        for (long m : asked) {
            // parameters d·m + (L−1)·m² + m, and a few n×m buffers per layer, in doubles
            double bytes = 8.0 * ((double) d * m + (depth - 1.0) * m * m + m + 4.0 * n * m * Math.max(1, depth));
            if ((long) n * m > Integer.MAX_VALUE - 8) {
                throw new InputError("--mc-widths " + m + " on " + n + " inputs makes an activation matrix of " + (long) n * m
                        + " entries, past the 2^31 a matrix holds; use smaller widths");
            }
            if (bytes > limit) {
                throw new InputError(String.format(java.util.Locale.ROOT, "--mc-widths %d needs ~%.3g GB for one "
                        + "Monte-Carlo network on %d inputs, more than the %.3g GB off-heap limit; use smaller widths "
                        + "(or raise -Dorg.bytedeco.javacpp.maxBytes)", m, bytes / 1e9, n, limit / 1e9));
            }
            widths.add((int) m);
        }
        return widths;
    }

    static Matrix loadInputs(Spec s) {
        return loadInputs(s.data(), s.dataset(), s.normalize());
    }

    /**
     * The empirical NTK of an {@code --arch} network (from --model, a PyTorch state dict of the same layers, or
     * initialized with --seed) by Jacobian contraction ({@link ModelNtk}); every parameter counts.
     */
    private static NtkAnalysis executeArch(Spec s, long t0) {
        if (s.hidden() != null) {
            throw new InputError("--arch and --hidden cannot be combined: --arch gives the whole network");
        }
        if (s.layers() != null) {
            throw new InputError("--layers is for fully connected nets; an --arch network's kernel counts every layer");
        }
        if (s.compareInfinite()) {
            throw new InputError("--compare-infinite is for fully connected nets; compare with overparam kernel --arch");
        }
        Blas.setThreads(s.threads());
        Parallel.setThreads(s.threads());
        Matrix x = loadInputs(s);
        LayerNet.Spec ls = new LayerNet.Spec(s.arch().value(), inputShape(s.data(), s.dataset(), x.cols()),
                s.parameterization(), s.sigmaW(), s.sigmaB(), s.bias());
        try (x; LayerNet net = s.model() != null ? ArchStateDict.read(ls, Path.of(s.model()))
                : LayerNet.initialize(ls, s.seed())) {
            double loadSeconds = (System.nanoTime() - t0) * 1e-9;
            int n = x.rows();
            int k = net.outputSize();
            OutputMode mode = s.outputs();
            long tg = System.nanoTime();
            try (Matrix g = ModelNtk.compute(net, x, mode);
                    Matrix spectral = k > 1 && mode != OutputMode.FULL && s.spectrum()
                            ? ModelNtk.compute(net, x, OutputMode.FULL) : null) {
                double gramSeconds = (System.nanoTime() - tg) * 1e-9;
                String outPath = null;
                Double writeSeconds = null;
                if (s.out() != null) {
                    long tw = System.nanoTime();
                    writeNpy(g, mode, n, k, Path.of(s.out()));
                    writeSeconds = (System.nanoTime() - tw) * 1e-9;
                    outPath = Path.of(s.out()).toAbsolutePath().toString();
                }
                long ts = System.nanoTime();
                NtkAnalysis.Spectrum spectrum = null;
                NtkAnalysis.RankOnly rankOnly = null;
                Matrix sg = spectral != null ? spectral : g;
                long params = net.parameterCount();
                if (s.spectrum()) {
                    GramSpectrum sp = GramSpectrum.of(sg, sg.rows(), (int) Math.min(params, Integer.MAX_VALUE),
                            s.rankTol(), s.allEigenvalues());
                    spectrum = new NtkAnalysis.Spectrum(sp.lambdaMin(), sp.lambdaMinResidual(), sp.lambdaMax(),
                            sp.lambdaMaxResidual(), sp.conditionNumber(), sp.largest(), sp.method(), sp.rank(),
                            sp.rankTolerance(), sp.rankRule(), sp.rankNote());
                } else {
                    rankOnly = new NtkAnalysis.RankOnly(null, null, "not computed; add --spectrum");
                }
                return new NtkAnalysis(n, k, mode.name().toLowerCase(java.util.Locale.ROOT), params,
                        java.util.stream.IntStream.range(0, net.layers()).boxed().toList(), net.describe(),
                        mode == OutputMode.BLOCKS ? List.of(k, n, n) : List.of(g.rows(), g.cols()), loadSeconds,
                        gramSeconds, outPath, spectral != null ? "full (n*k)x(n*k) Gram" : null, spectrum, rankOnly,
                        (System.nanoTime() - ts) * 1e-9, writeSeconds, null, (System.nanoTime() - t0) * 1e-9,
                        Provenance.of(s.threads(), s.model() == null ? s.seed() : null));
            }
        }
    }

    /** The shape of one input: (C, H, W) for image data (see {@link DatasetSpec#imageShape}), else d features. */
    static org.overparam.nn.Shape inputShape(String data, String dataset, int d) {
        int[] img = dataset != null ? DatasetSpec.parse(dataset).imageShape(d, Path.of(""))
                : DataLoader.fileImageShape(data);
        return img == null ? org.overparam.nn.Shape.flat(d) : org.overparam.nn.Shape.image(img[0], img[1], img[2]);
    }

    /** The inputs (n, d) from a file or a dataset spec (labels ignored), optionally scaled to the unit sphere. */
    static Matrix loadInputs(String data, String dataset, boolean normalize) {
        if ((data == null) == (dataset == null)) {
            throw new InputError("give the inputs either as --data FILE or as --dataset SPEC");
        }
        Dataset ds;
        if (dataset != null) {
            ds = DatasetSpec.load(dataset);
        } else {
            ds = DataLoader.fromFiles(data, null);
        }
        if (normalize) {
            ds = Preprocess.normalizeRows(ds);
        }
        NdArray a = ds.x();
        if (a.shape()[0] == 0 || a.shape()[1] == 0) {
            throw new InputError("the inputs have shape " + java.util.Arrays.toString(a.shape())
                    + "; a kernel needs at least one sample with at least one feature");
        }
        return Matrix.of(a.shape()[0], a.shape()[1], a.data());
    }

    /** The model read on the reader thread; its user errors are rethrown as they are. */
    private static ModelFile joinModel(java.util.concurrent.CompletableFuture<ModelFile> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** The network: {@code mf} (already read from --model) or a fresh one from --hidden and --seed. */
    static Network network(Spec s, List<Activation> acts, int d, ModelFile mf) {
        if (mf != null) {
            if (mf.inputDim() != d) {
                throw new InputError(s.model() + ": the model takes " + mf.inputDim() + " inputs but the data has " + d
                        + " features");
            }
            Parameterization p = s.parameterization();
            return mf.toNetwork(acts, p, s.sigmaW(), s.sigmaB(),
                    p == Parameterization.DU2019 ? TrainableLayers.FIRST : TrainableLayers.ALL);
        }
        if (s.hidden() == null) {
            throw new InputError("give the network as --model FILE or --hidden W1,W2,... (with --seed)");
        }
        Parameterization p = s.parameterization();
        int[] hidden = s.hidden().stream().mapToInt(Integer::intValue).toArray();
        NetworkSpec spec = new NetworkSpec(d, hidden, 1, acts, p, s.sigmaW(), s.sigmaB(), s.bias(),
                p == Parameterization.DU2019 ? TrainableLayers.FIRST : TrainableLayers.ALL);
        return Network.initialize(spec, s.seed());
    }

    static void writeNpy(Matrix g, OutputMode mode, int n, int k, Path target) {
        int[] shape = mode == OutputMode.BLOCKS ? new int[] {k, n, n} : new int[] {g.rows(), g.cols()};
        org.overparam.io.AtomicFile.write(target, tmp -> Npy.writeFloat64(shape, g.littleEndianBytes(), tmp));
    }
}
