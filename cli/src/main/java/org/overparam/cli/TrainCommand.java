package org.overparam.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.overparam.InputError;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.TrainRun;
import org.overparam.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam train}: every option maps to one field of {@link RunConfig}. */
@Command(name = "train", header = "Train a fully connected network with GD or SGD and record the run.", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Train a fully connected network with GD or SGD and record the run.", "",
                "Writes DIR (--out): config.json (resolved configuration, seed, threads,",
                "versions), loss.csv and metrics.jsonl (one row per step; gradient norm,",
                "distance from init and accuracies every --record-every steps), loss.svg,",
                "summary.json and model.npz.", "",
                "Conventions:",
                "  mse:           (1/(2n)) sum_i ||h(x_i) - y_i||^2",
                "                 (not PyTorch's MSELoss, not neural-tangents' 1/(2nk))",
                "  logistic:      (1/n) sum_i log(1 + exp(-y_i h(x_i))), labels +-1",
                "  hinge:         (1/n) sum_i max(0, 1 - y_i h(x_i)), labels +-1",
                "  cross_entropy: (1/n) sum_i (logsumexp(h(x_i)) - h(x_i)[y_i]), labels 0..k-1",
                "  standard:      W,b ~ U(+-1/sqrt(fan_in)), forward W h + b (nn.Linear)",
                "  ntk:           W,b ~ N(0,1), forward sigma_w/sqrt(fan_in) W h + sigma_b b",
                "                 (neural-tangents parameterization='ntk')",
                "  du2019:        f(x) = (1/sqrt(m)) sum_r a_r sigma(w_r^T x),",
                "                 w_r ~ N(0,I), a_r = +-1 fixed, no bias",
                "  chen2021:      f(x) = sqrt(m) W_L relu(W_{L-1} ... relu(W_1 x)),",
                "                 W_1..W_{L-1} ~ N(0,2/m), W_L ~ N(0,1/m), equal hidden",
                "                 widths m, one output, no bias (Chen et al. 2021)",
                "  update:        w <- w - lr*grad; momentum mu: v <- mu*v + grad, w <- w - lr*v",
                "  model files:   PyTorch state dicts (.npz/.safetensors), keys 0.weight,",
                "                 0.bias, 2.weight, ...; weight (out, in); float64;",
                "                 standard-form effective weights", ""})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    // ---- data
    @Option(names = "--dataset", paramLabel = "SPEC", description = {
            "Training data by name, e.g. sphere:n=200,d=10 | gaussian:n=100,d=5 | margin:n=200,d=10,gamma=0.1 |",
            "mnist:dir=DIR,n=1000,classes=0-9 | cifar10:dir=DIR,n=500 | npy:x=X.npy,y=y.npy | csv:file=F.csv,label=last.",
            "Synthetic kinds take seed= (default 0) and labels=normal|sign|none (default normal)."})
    String dataset;

    @Option(names = "--data", paramLabel = "FILE", description = "Training inputs (n, d): .npy, .csv or IDX.")
    String data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Training labels (n,) or (n, k): .npy, .csv or IDX.")
    String labels;

    @Option(names = "--test-dataset", paramLabel = "SPEC", description = "Held-out data by name (as --dataset).")
    String testDataset;

    @Option(names = "--test-data", paramLabel = "FILE", description = "Held-out inputs.")
    String testData;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "Held-out labels.")
    String testLabels;

    @Option(names = "--test-split", paramLabel = "FRACTION", defaultValue = "0",
            description = "Hold out this fraction of the training data as a test set (default: ${DEFAULT-VALUE}).")
    double testSplit;

    @Option(names = "--subsample", paramLabel = "N", defaultValue = "0",
            description = "Keep N random training samples (seeded by --seed; default: ${DEFAULT-VALUE} = all).")
    int subsample;

    @Option(names = "--center", description = "Subtract the per-feature mean.")
    boolean center;

    @Option(names = "--normalize", description = "Scale every input to the unit sphere (||x|| = 1), as Du et al. assume.")
    boolean normalize;

    @Option(names = "--one-hot", description = "Turn integer class labels into one-hot rows (for mse on classes).")
    boolean oneHot;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "0",
            description = "Number of classes (default: max label + 1).")
    int classes;

    @Option(names = "--corrupt-labels", paramLabel = "P", defaultValue = "0",
            description = "Replace a fraction P of training labels by uniformly random classes (Zhang et al. 2017; default: ${DEFAULT-VALUE}).")
    double corruptLabels;

    @Option(names = "--shuffle-pixels", description = "Apply one fixed random permutation to the features of every input.")
    boolean shufflePixels;

    @Option(names = "--random-pixels", description = "Apply an independent random permutation to each input.")
    boolean randomPixels;

    @Option(names = "--gaussian-inputs",
            description = "Replace inputs by Gaussians with the data's (scalar) mean and variance.")
    boolean gaussianInputs;

    // ---- model
    @Option(names = "--hidden", paramLabel = "W1,W2,...",
            description = "Hidden widths (default 512; 'none' for a linear model). Not with --init-model.")
    String hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", description = {
            "relu | leaky_relu[:alpha] (alpha 0.01) | step | linear | softplus | tanh | erf | sigmoid | gelu",
            "(exact erf form); one for all hidden layers or one per layer, e.g. relu,tanh (default: ${DEFAULT-VALUE})."})
    String activation;

    @Option(names = "--parameterization", paramLabel = "P", defaultValue = "standard",
            description = "standard | ntk | du2019 | chen2021 (default: ${DEFAULT-VALUE}).")
    String parameterization;

    @Option(names = "--sigma-w", paramLabel = "S", defaultValue = "1.0",
            description = "Weight scale sigma_w of the ntk parameterization (default: ${DEFAULT-VALUE}).")
    double sigmaW;

    @Option(names = "--sigma-b", paramLabel = "S", defaultValue = "0.0",
            description = "Bias scale sigma_b of the ntk parameterization (default: ${DEFAULT-VALUE}).")
    double sigmaB;

    @Option(names = "--no-bias", description = "Networks without biases (the Du et al. and Soudry-Carmon settings).")
    boolean noBias;

    @Option(names = "--train-layers", paramLabel = "L", defaultValue = "all", description = {
            "all | first | last (random features) | a list of 0-based layers such as 0,2 (default: ${DEFAULT-VALUE};",
            "du2019 trains the first layer only)."})
    String trainLayers;

    @Option(names = "--init-model", paramLabel = "FILE",
            description = "Start from a saved state dict (.npz/.safetensors); shapes come from the file.")
    String initModel;

    // ---- training
    @Option(names = "--loss", paramLabel = "L", defaultValue = "mse",
            description = "mse | logistic | hinge | cross_entropy (default: ${DEFAULT-VALUE}; conventions above).")
    String loss;

    @Option(names = "--optimizer", paramLabel = "O", defaultValue = "gd",
            description = "gd (full batch) | sgd (minibatches) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.1", description = "Step size (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-schedule", paramLabel = "S", defaultValue = "constant",
            description = "constant | step:EVERY:GAMMA | inverse:DECAY | cosine (default: ${DEFAULT-VALUE}).")
    String lrSchedule;

    @Option(names = "--momentum", paramLabel = "MU", defaultValue = "0", description = "Heavy-ball momentum in [0,1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--steps", paramLabel = "T", defaultValue = "1000", description = "Number of updates (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "0",
            description = "Number of epochs instead of --steps (an epoch is ceil(n/batch) steps; 1 step for gd; default: ${DEFAULT-VALUE} = use --steps).")
    long epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Minibatch size for sgd (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--sampling", paramLabel = "S", defaultValue = "shuffle",
            description = "sgd batches: shuffle (reshuffled epochs) | replacement (default: ${DEFAULT-VALUE}).")
    String sampling;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of initialization, batches and transforms; same seed + threads = identical run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--record-every", paramLabel = "K", defaultValue = "10", description = {
            "Measure ||grad L||^2, ||w - w0|| and accuracies every K steps (default: ${DEFAULT-VALUE}); the loss is",
            "recorded at every step. Between records the update is folded into the gradient GEMMs."})
    int recordEvery;

    @Option(names = "--target-loss", paramLabel = "EPS", defaultValue = "0", description = {
            "Stop once the training loss is <= EPS (default: ${DEFAULT-VALUE} = run all steps); the summary",
            "reports steps_to_target. Checked every step for gd, at record steps for sgd."})
    double targetLoss;

    @Option(names = "--stop-at-fit", description = {
            "Stop once every training sample is classified correctly (100%% training accuracy; class or",
            "+-1 labels); the summary reports steps_to_fit, Zhang et al. 2017's time to fit."})
    boolean stopAtFit;

    // ---- output
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-run", description = "Output folder (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--save-model", paramLabel = "FILE", description = "Also write the trained model to FILE (.npz or .safetensors).")
    String saveModel;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "0",
            description = "Write DIR.checkpoint.npz every K steps (default: ${DEFAULT-VALUE} = never).")
    long checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue from a checkpoint written by --checkpoint-every.")
    String resume;

    @Option(names = "--threads", paramLabel = "T", description = "OpenBLAS and elementwise threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print exactly one JSON object (the summary) on standard output; logs go to stderr.")
    boolean json;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Repeat a run from its config.json (other options are ignored except --out, --threads, --json).")
    String config;

    @Override
    public Integer call() {
        RunConfig c;
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (config != null) {
            Object parsed = Json.read(Path.of(config));
            if (!(parsed instanceof Map<?, ?> m) || !(m.get("config") instanceof Map<?, ?> inner)) {
                throw new InputError(config + ": not an overparam config.json (no 'config' object)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cm = new java.util.LinkedHashMap<>((Map<String, Object>) inner);
            if (spec.commandLine().getParseResult().hasMatchedOption("--out")) {
                cm.put("out", out);
            }
            if (threads != null) {
                cm.put("threads", t);
            }
            c = RunConfig.fromMap(cm, config);
        } else {
            if (dataset != null && data != null) {
                throw new InputError("give either --dataset or --data, not both");
            }
            boolean explicitSteps = spec.commandLine().getParseResult().hasMatchedOption("--steps");
            if (explicitSteps && epochs > 0) {
                throw new InputError("give either --steps or --epochs, not both");
            }
            String h = hidden;
            if (h == null && initModel == null) {
                h = "512";
            }
            c = new RunConfig(dataset, data, labels, testDataset, testData, testLabels, testSplit, center, normalize,
                    subsample, oneHot, classes, corruptLabels, shufflePixels, randomPixels, gaussianInputs, h,
                    activation, parameterization, sigmaW, sigmaB, !noBias, trainLayers, initModel, loss, optimizer, lr,
                    lrSchedule, momentum, steps, epochs, batch, sampling, seed, recordEvery, targetLoss, stopAtFit, out, saveModel,
                    checkpointEvery, resume, t);
        }
        return run(c, spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    }

    /** Runs a configuration and reports it; shared with {@code demo}. */
    static int run(RunConfig c, java.io.PrintWriter out, java.io.PrintWriter err, boolean json) {
        TrainRun.Outcome o = TrainRun.execute(c, List.of(new Progress(err, System.console() != null)));
        if (json) {
            out.println(Json.writeCompact(o.summary()));
            out.flush();
        } else {
            Map<String, Object> s = o.summary();
            out.printf(java.util.Locale.ROOT, "%s: %s%n", s.get("status"), o.folder());
            if (s.containsKey("final_loss")) {
                out.printf(java.util.Locale.ROOT, "loss %s -> %s after %s steps (%s)%n", s.get("initial_loss"),
                        s.get("final_loss"), s.get("steps"), s.get("loss_convention"));
            }
            if (s.containsKey("relative_distance_from_init")) {
                out.printf(java.util.Locale.ROOT, "||w_T - w_0|| = %s (relative to ||w_0||: %s)%n",
                        s.get("distance_from_init"), s.get("relative_distance_from_init"));
            }
            if (s.containsKey("final_test_accuracy")) {
                out.printf(java.util.Locale.ROOT, "test accuracy %s%n", s.get("final_test_accuracy"));
            }
            out.flush();
        }
        if (o.diverged()) {
            err.println("overparam: " + o.divergenceMessage());
            err.flush();
            return Main.DIVERGED;
        }
        return 0;
    }
}
