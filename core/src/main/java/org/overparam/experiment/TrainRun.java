package org.overparam.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.InputError;
import org.overparam.io.Json;
import org.overparam.io.NdArray;
import org.overparam.io.Npz;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activation;
import org.overparam.nn.ModelFile;
import org.overparam.nn.ArchStateDict;
import org.overparam.nn.LayerNet;
import org.overparam.nn.Model;
import org.overparam.nn.Network;
import org.overparam.nn.Shape;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;
import org.overparam.report.RunRecorder;
import org.overparam.theory.PathTracker;
import org.overparam.train.Checkpointer;
import org.overparam.train.DivergenceException;
import org.overparam.train.Loss;
import org.overparam.train.Optimizer;
import org.overparam.train.Sampling;
import org.overparam.train.Schedule;
import org.overparam.train.StepRecord;
import org.overparam.train.StopRule;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainResult;
import org.overparam.train.TrainSpec;
import org.overparam.train.TrainState;
import org.overparam.train.Trainer;

/**
 * {@code overparam train} as a library call: resolve a {@link RunConfig}, load the data, build or load the
 * network, train, and write the output folder (config.json, loss.csv, metrics.jsonl, loss.svg,
 * summary.json, model.npz). Every input is validated before anything is written.
 */
public final class TrainRun {
    /** Library version, stamped into config.json. */
    /** The version of this build, from pom.xml (via {@link Provenance}). */
    public static final String VERSION = Provenance.version();

    private TrainRun() {
    }

    /** The result: the summary written to summary.json and the folder it is in. */
    public record Outcome(Map<String, Object> summary, Path folder, boolean diverged, String divergenceMessage) {
    }

    public static Outcome execute(RunConfig c, List<TrainObserver> extra) {
        Blas.setThreads(c.threads());
        Parallel.setThreads(c.threads());
        TrainingConfig tc = c.training();
        OutputConfig oc = c.output();
        Loss loss = tc.loss().value();
        if (oc.saveModel() != null) {
            checkModelPath(oc.saveModel());
        }
        if (oc.checkpointEvery() > 0) {
            checkCheckpointPath(Path.of(c.out() + ".checkpoint.npz"));
        }
        LoadedData data = DataLoader.load(c);
        Built built = buildNetwork(c, data);
        ModelFile loaded = built.loaded();
        Model net = built.net();
        try {
            int n = data.x().rows();
            long steps = tc.stepsFor(n);
            checkStepBudget(steps, Path.of(c.out()));
            TrainSpec spec = tc.spec(steps);
            TrainState resume = oc.resume() == null ? null : readCheckpoint(Path.of(oc.resume()), net);
            if (resume != null && resume.step() >= steps) {
                throw new InputError(oc.resume() + " is at step " + resume.step() + ", at or past the " + steps
                        + " steps asked for: nothing to train; give more --steps (the total, counted from step 0)");
            }
            Trainer trainer = new Trainer(net, data.x(), data.y(), spec)
                    .stopWhen(new StopRule(tc.targetLoss(), tc.stopAtFit()));
            if (data.testX() != null) {
                trainer.testSet(data.testX(), data.testY());
            }
            if (resume != null) {
                trainer.resumeFrom(resume);
            }
            double initNorm = net.parameters().frobenius();
            try (OutputFolder folder = new OutputFolder(Path.of(c.out()))) {
                Path dir = folder.dir();
                writeJson(dir.resolve("config.json"), configJson(c, net, data, steps));
                Path checkpointPath = Path.of(c.out() + ".checkpoint.npz").toAbsolutePath();
                if (oc.checkpointEvery() > 0) {
                    trainer.checkpointer(new Checkpointer() {
                        public long every() {
                            return oc.checkpointEvery();
                        }

                        public void save(TrainState s) {
                            writeCheckpoint(s, checkpointPath);
                        }
                    });
                }
                // the papers' measurements along the path (--track), observed before the recorder writes each row
                PathTracker tracker = oc.tracks().isEmpty() ? null : new PathTracker(oc.tracks(), data.x(), data.y(),
                        data.testX(), loss, oc.kernelEvery());
                if (tracker != null) {
                    trainer.observe(tracker);
                }
                RunRecorder recorder = new RunRecorder(dir, lossConvention(loss), tracker);
                trainer.observe(recorder);
                StepRecord[] firstLast = new StepRecord[2];
                long[] reached = {-1, -1}; // first step with train accuracy 1, first step with loss <= target
                trainer.observe((r, nn) -> {
                    if (firstLast[0] == null) {
                        firstLast[0] = r;
                    }
                    if (r.full()) {
                        firstLast[1] = r;
                    }
                    if (reached[0] < 0 && r.trainAccuracy() == 1.0) {
                        reached[0] = r.step();
                    }
                    if (reached[1] < 0 && tc.targetLoss() > 0 && r.trainLoss() <= tc.targetLoss()) {
                        reached[1] = r.step();
                    }
                });
                for (TrainObserver o : extra) {
                    trainer.observe(o);
                }
                TrainResult result = null;
                DivergenceException diverged = null;
                try {
                    result = trainer.run();
                } catch (DivergenceException e) {
                    diverged = e;
                    recorder.close();
                }
                TrainSummary summary = TrainSummary.of(c, net, loss, result, diverged, firstLast, initNorm, n, steps,
                        reached, folder.target().toString(), Provenance.of(c.threads(), c.seed()));
                if (diverged == null) {
                    try {
                        writeModel(net, dir.resolve("model.npz"), loaded);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                writeJson(dir.resolve("summary.json"), summary);
                folder.commit();
                if (diverged == null && oc.saveModel() != null) {
                    saveModelAtomically(net, Path.of(oc.saveModel()), loaded);
                }
                return new Outcome(summary.toMap(), folder.target(), diverged != null,
                        diverged == null ? null : diverged.getMessage());
            }
        } finally {
            net.close();
        }
    }

    /** A network built for a run, and the model file it came from (null when initialized here or for --arch). */
    public record Built(Model net, ModelFile loaded) {
        /**
         * The fully connected network, for what is stated and measured on fully connected nets only; an --arch
         * network is refused with {@code what} as the reason (the network is closed first).
         */
        public Network dense(String what) {
            if (net instanceof Network n) {
                return n;
            }
            net.close();
            throw new InputError(what + " is defined for fully connected networks; drop --arch (use --hidden and "
                    + "--activation)");
        }
    }

    /** Saves a network's state dict: fully connected under its file's keys, --arch nets under nn.Sequential keys. */
    static void writeModel(Model net, Path file, ModelFile keys) throws IOException {
        if (net instanceof Network n) {
            ModelFile.write(n, file, keys);
        } else {
            ArchStateDict.write((LayerNet) net, file);
        }
    }

    /**
     * The network a configuration asks for on these data: loaded from --init-model (shapes from the file,
     * checked against the data and the loss's output dimension) or initialized from --hidden with --seed.
     */
    public static Built buildNetwork(RunConfig c, LoadedData data) {
        NetworkConfig nc = c.network();
        Loss loss = c.training().loss().value();
        List<Activation> acts = nc.activations().value();
        int k = loss.outputDim(data.y(), c.data().classes());
        if (nc.arch() != null) {
            LayerNet.Spec spec = new LayerNet.Spec(nc.arch().value(), data.shape(), nc.parameterization().value(),
                    nc.sigmaW(), nc.sigmaB(), nc.bias());
            Shape out = spec.arch().outputShape(spec.input());
            if (out.size() != k) {
                throw new InputError("--arch " + spec.arch() + " has " + out.size() + " outputs but "
                        + loss.cliName() + " with these labels needs " + k + "; end it with dense:" + k);
            }
            return new Built(nc.initModel() != null ? ArchStateDict.read(spec, Path.of(nc.initModel()))
                    : LayerNet.initialize(spec, c.seed()), null);
        }
        if (nc.initModel() != null) {
            ModelFile loaded = ModelFile.read(Path.of(nc.initModel()));
            if (loaded.inputDim() != data.x().cols()) {
                throw new InputError(nc.initModel() + ": the model takes " + loaded.inputDim() + " inputs but the data has "
                        + data.x().cols() + " features");
            }
            if (loaded.outputDim() != k) {
                throw new InputError(nc.initModel() + ": the model has " + loaded.outputDim() + " outputs but "
                        + loss.cliName() + " with these labels needs " + k);
            }
            checkMemory(data, loaded.inputDim(), loaded.hidden(), k, c.training());
            return new Built(loaded.toNetwork(acts, nc.parameterization().value(), nc.sigmaW(), nc.sigmaB(),
                    nc.trainable()), loaded);
        }
        int[] hidden = nc.widths();
        checkMemory(data, data.x().cols(), hidden, k, c.training());
        NetworkSpec spec = new NetworkSpec(data.x().cols(), hidden, k, acts, nc.parameterization().value(), nc.sigmaW(),
                nc.sigmaB(), nc.bias(), nc.trainable());
        return new Built(Network.initialize(spec, c.seed()), null);
    }

    /** Refuses runs whose buffers cannot fit in the off-heap limit, before allocating anything. */
    static void checkMemory(LoadedData data, int d, int[] hidden, int k, TrainingConfig t) {
        long n = data.x().rows();
        long batch = t.optimizer().value() == Optimizer.GD ? n : Math.min(t.batch(), n);
        long params = 0;
        long acts = 0;
        int prev = d;
        for (int h : hidden) {
            params += (long) prev * h + h;
            acts += 2L * h;
            prev = h;
        }
        params += (long) prev * k + k;
        acts += k;
        long maxWidth = Math.max(k, Arrays.stream(hidden).max().orElse(1));
        // parameters, initial copy, gradient, momentum; workspace Z/H per layer plus two signal buffers
        double bytes = 8.0 * (4.0 * params + batch * (acts + 2.0 * maxWidth));
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        if (limit > 0 && bytes > 0.9 * limit) {
            throw new InputError(String.format(java.util.Locale.ROOT,
                    "this run needs about %.1f GB of memory for parameters and activations but %.1f GB are available;"
                            + " use smaller widths or a minibatch (--optimizer sgd --batch B)",
                    bytes / 1e9, limit / 1e9));
        }
    }

    private static void checkModelPath(String p) {
        String name = p.toLowerCase(java.util.Locale.ROOT);
        if (!name.endsWith(".npz") && !name.endsWith(".safetensors")) {
            throw new InputError("--save-model " + p + ": use a .npz or .safetensors file name");
        }
    }

    private static void saveModelAtomically(Model net, Path target, ModelFile keys) {
        org.overparam.io.AtomicFile.write(target, tmp -> writeModel(net, tmp, keys));
    }

    /** loss.csv and metrics.jsonl write a row per step: about this many bytes between them. */
    static final long BYTES_PER_STEP = 160;

    /**
     * Refuses, before any work, a step count whose per-step records cannot fit on the output's disk (--steps
     * 9223372036854775807 ran until killed while loss.csv grew 8 MB/s).
     */
    static void checkStepBudget(long steps, Path out) {
        Path p = out.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        long free;
        try {
            free = p == null ? Long.MAX_VALUE : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            free = Long.MAX_VALUE;
        }
        double need = (double) steps * BYTES_PER_STEP;
        if (need > free) {
            throw new InputError(String.format(java.util.Locale.ROOT, "%d steps would write ~%.3g GB of per-step "
                    + "records (loss.csv, metrics.jsonl) but %s has %.3g GB free; use fewer --steps or --epochs",
                    steps, need / 1e9, p, free / 1e9));
        }
    }

    /** The arrays of an overparam checkpoint, and nothing else. */
    static final List<String> CHECKPOINT_KEYS = List.of("step", "parameters", "initial_parameters", "velocity");

    /**
     * --checkpoint-every overwrites OUT.checkpoint.npz as training goes: refused, before training, when a file of that
     * name exists and is not an overparam checkpoint (exactly its four arrays), since it is then someone's file.
     */
    static void checkCheckpointPath(Path path) {
        if (Files.isSymbolicLink(path) || (Files.exists(path) && !Files.isRegularFile(path))) {
            throw new InputError(path + " exists and is not a checkpoint file; move it or choose another --out");
        }
        if (!Files.exists(path)) {
            return;
        }
        boolean ours;
        try {
            ours = new java.util.TreeSet<>(Npz.read(path).keySet()).equals(new java.util.TreeSet<>(CHECKPOINT_KEYS));
        } catch (InputError e) {
            ours = false;
        }
        if (!ours) {
            throw new InputError(path + " exists and is not an overparam checkpoint; --checkpoint-every would overwrite "
                    + "it: move it or choose another --out");
        }
    }

    static void writeCheckpoint(TrainState s, Path path) {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("step", NdArray.vector(s.step()));
        m.put("parameters", NdArray.vector(s.parameters()));
        m.put("initial_parameters", NdArray.vector(s.initialParameters()));
        m.put("velocity", NdArray.vector(s.velocity()));
        org.overparam.io.AtomicFile.write(path, tmp -> Npz.write(m, tmp));
    }

    static TrainState readCheckpoint(Path path, Model net) {
        if (!Files.isRegularFile(path)) {
            throw new InputError(path + ": no such checkpoint (given to --resume)");
        }
        Map<String, NdArray> m = Npz.read(path);
        for (String key : CHECKPOINT_KEYS) {
            if (!m.containsKey(key)) {
                throw new InputError(path + ": not an overparam checkpoint (no '" + key + "' array)");
            }
        }
        double[] step = m.get("step").data();
        if (step.length != 1 || !(step[0] >= 0) || step[0] > 1e18 || step[0] != Math.rint(step[0])) {
            throw new InputError(path + ": the checkpoint's 'step' must be one whole number >= 0, got "
                    + (step.length == 1 ? String.valueOf(step[0]) : step.length + " values") + "; it is not a valid checkpoint");
        }
        TrainState s = new TrainState((long) step[0], m.get("parameters").data(), m.get("initial_parameters").data(),
                m.get("velocity").data());
        long p = net.parameterCount();
        if (s.parameters().length != p || s.initialParameters().length != p
                || (s.velocity().length != 0 && s.velocity().length != p)) {
            throw new InputError(path + ": checkpoint holds " + s.parameters().length + " parameters, "
                    + s.initialParameters().length + " initial parameters and " + s.velocity().length
                    + " velocities but the network has " + p + "; resume with the same architecture");
        }
        for (double[] a : List.of(s.parameters(), s.initialParameters(), s.velocity())) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    throw new InputError(path + ": the checkpoint holds NaN or Inf parameters; resume from an earlier one");
                }
            }
        }
        return s;
    }

    static TrainConfigFile configJson(RunConfig c, Model net, LoadedData data, long steps) {
        // widths: a fully connected net's layer widths; an --arch net's output channels or units per layer with weights
        List<Integer> widths = net instanceof Network n ? Arrays.stream(n.widths()).boxed().toList()
                : java.util.stream.IntStream.range(0, net.layers()).map(l -> ((LayerNet) net).weightShape(l)[0]).boxed()
                        .toList();
        return new TrainConfigFile(c.toMap(), new TrainConfigFile.Resolved(net.describe(), widths,
                net.parameterCount(), net.trainableCount(), data.x().rows(), data.testX() == null ? 0
                        : data.testX().rows(), data.description(), steps, lossConvention(c.training().loss().value()),
                parameterizationConvention(c.network().parameterization().value())),
                Provenance.of(c.threads(), c.seed()));
    }

    /** {@link Provenance} of a result without a seed of its own. */
    public static Provenance provenance(int threads) {
        return Provenance.of(threads, null);
    }

    public static String lossConvention(Loss loss) {
        return switch (loss) {
            case MSE -> "mse = (1/(2n)) * sum_i ||h(x_i) - y_i||^2";
            case LOGISTIC -> "logistic = (1/n) * sum_i log(1 + exp(-y_i h(x_i))), y in {-1,+1}";
            case HINGE -> "hinge = (1/n) * sum_i max(0, 1 - y_i h(x_i)), y in {-1,+1}";
            case CROSS_ENTROPY -> "cross_entropy = (1/n) * sum_i (logsumexp(h(x_i)) - h(x_i)[y_i])";
        };
    }

    public static String parameterizationConvention(Parameterization p) {
        return switch (p) {
            case STANDARD -> "standard: W,b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), forward W h + b (PyTorch nn.Linear)";
            case NTK -> "ntk: W,b ~ N(0,1), forward sigma_w/sqrt(fan_in) W h + sigma_b b (neural-tangents parameterization='ntk')";
            case DU2019 -> "du2019: f(x) = (1/sqrt(m)) sum_r a_r relu(w_r^T x), w_r ~ N(0,I), a_r in {-1,+1} fixed";
            case CHEN2021 -> "chen2021: f(x) = sqrt(m) W_L relu(W_{L-1} ... relu(W_1 x)), W_1..W_{L-1} ~ N(0,2/m), "
                    + "W_L ~ N(0,1/m), no bias, gradients in the W's (Chen, Cao, Zou & Gu 2021)";
        };
    }

    static void writeJson(Path p, Object o) {
        try {
            Json.write(o, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
