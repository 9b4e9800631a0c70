package org.overparam.experiment;

import java.util.List;

/**
 * Every field of a training run's configuration, in one place: its {@code config.json} key (also the key of
 * a sweep spec), the section of {@link RunConfig} it belongs to, the command-line flag, the default and a
 * one-line description. The CLI builds its options from this table (flags, defaults and help text), and
 * {@link RunConfig#defaults()} parses the same defaults, so a default cannot live in two places.
 */
public enum ConfigField {
    // ---- data
    DATASET(Section.DATA, "dataset", Kind.TEXT, "SPEC", null,
            "Training data by name, e.g. sphere:n=200,d=10 | gaussian:n=100,d=5 | margin:n=200,d=10,gamma=0.1 |",
            "mnist:dir=DIR,n=1000,classes=0-9 | cifar10:dir=DIR,n=500 | npy:x=X.npy,y=y.npy | csv:file=F.csv,label=last.",
            "Synthetic kinds take seed= (default 0) and labels=normal|sign|none (default normal);",
            "any kind takes image=CxHxW, the shape of one example for --arch."),
    DATA(Section.DATA, "data", Kind.TEXT, "FILE", null, "Training inputs (n, d): .npy, .csv or IDX."),
    LABELS(Section.DATA, "labels", Kind.TEXT, "FILE", null, "Training labels (n,) or (n, k): .npy, .csv or IDX."),
    TEST_DATASET(Section.DATA, "test_dataset", Kind.TEXT, "SPEC", null, "Held-out data by name (as --dataset)."),
    TEST_DATA(Section.DATA, "test_data", Kind.TEXT, "FILE", null, "Held-out inputs."),
    TEST_LABELS(Section.DATA, "test_labels", Kind.TEXT, "FILE", null, "Held-out labels."),
    TEST_SPLIT(Section.DATA, "test_split", Kind.REAL, "FRACTION", "0",
            "Hold out this fraction of the training data as a test set (default: ${DEFAULT-VALUE})."),
    CENTER(Section.DATA, "center", Kind.FLAG, null, "false", "Subtract the per-feature mean."),
    NORMALIZE(Section.DATA, "normalize", Kind.FLAG, null, "false",
            "Scale every input to the unit sphere (||x|| = 1), as Du et al. assume."),
    SUBSAMPLE(Section.DATA, "subsample", Kind.INT, "N", "0",
            "Keep N random training samples (seeded by --seed; default: ${DEFAULT-VALUE} = all)."),
    ONE_HOT(Section.DATA, "one_hot", Kind.FLAG, null, "false",
            "Turn integer class labels into one-hot rows (for mse on classes)."),
    CLASSES(Section.DATA, "classes", Kind.INT, "K", "0", "Number of classes (default: max label + 1)."),
    CORRUPT_LABELS(Section.DATA, "corrupt_labels", Kind.REAL, "P", "0",
            "Replace a fraction P of training labels by uniformly random classes (Zhang et al. 2017; default: ${DEFAULT-VALUE})."),
    SHUFFLE_PIXELS(Section.DATA, "shuffle_pixels", Kind.FLAG, null, "false",
            "Apply one fixed random permutation to the features of every input."),
    RANDOM_PIXELS(Section.DATA, "random_pixels", Kind.FLAG, null, "false",
            "Apply an independent random permutation to each input."),
    GAUSSIAN_INPUTS(Section.DATA, "gaussian_inputs", Kind.FLAG, null, "false",
            "Replace inputs by Gaussians with the data's (scalar) mean and variance."),
    // ---- network
    HIDDEN(Section.NETWORK, "hidden", Kind.TEXT, "W1,W2,...", "512",
            "Hidden widths (default 512; 'none' for a linear model). Not with --init-model."),
    ACTIVATION(Section.NETWORK, "activation", Kind.TEXT, "NAME", "relu",
            "relu | leaky_relu[:alpha] (alpha 0.01) | step | linear | softplus | tanh | erf | sigmoid | gelu",
            "(exact erf form); one for all hidden layers or one per layer, e.g. relu,tanh (default: ${DEFAULT-VALUE})."),
    PARAMETERIZATION(Section.NETWORK, "parameterization", Kind.TEXT, "P", "standard",
            "standard | ntk | du2019 | chen2021 (default: ${DEFAULT-VALUE})."),
    SIGMA_W(Section.NETWORK, "sigma_w", Kind.REAL, "S", "1.0",
            "Weight scale sigma_w of the ntk parameterization (default: ${DEFAULT-VALUE})."),
    SIGMA_B(Section.NETWORK, "sigma_b", Kind.REAL, "S", "0.0",
            "Bias scale sigma_b of the ntk parameterization (default: ${DEFAULT-VALUE})."),
    BIAS(Section.NETWORK, "bias", Kind.NEGATED_FLAG, null, "true",
            "Networks without biases (the Du et al. and Soudry-Carmon settings)."),
    TRAIN_LAYERS(Section.NETWORK, "train_layers", Kind.TEXT, "L", "all",
            "all | first | last (random features) | a list of 0-based layers such as 0,2 (default: ${DEFAULT-VALUE};",
            "du2019 trains the first layer only)."),
    INIT_MODEL(Section.NETWORK, "init_model", Kind.TEXT, "FILE", null,
            "Start from a saved state dict (.npz/.safetensors); shapes come from the file."),
    ARCH(Section.NETWORK, "arch", Kind.TEXT, "LAYERS", null,
            "Any network as layers, e.g. conv:16:3,relu,res[conv:16:3,relu],avgpool:2,flatten,dense:10: conv:OUT:K[:sS][:same|:valid]",
            "| avgpool:K | gap | flatten | dense:OUT | an activation | res[...] | res:C[...] (x + C branch(x)); replaces",
            "--hidden/--activation; images (N,C,H,W) from mnist, cifar10, 4-d .npy or image=CxHxW in a --dataset spec."),
    // ---- training
    LOSS(Section.TRAINING, "loss", Kind.TEXT, "L", "mse",
            "mse | logistic | hinge | cross_entropy (default: ${DEFAULT-VALUE}; conventions above)."),
    OPTIMIZER(Section.TRAINING, "optimizer", Kind.TEXT, "O", "gd",
            "gd (full batch) | sgd (minibatches) (default: ${DEFAULT-VALUE})."),
    LR(Section.TRAINING, "lr", Kind.REAL, "ETA", "0.1", "Step size (default: ${DEFAULT-VALUE})."),
    LR_SCHEDULE(Section.TRAINING, "lr_schedule", Kind.TEXT, "S", "constant",
            "constant | step:EVERY:GAMMA | inverse:DECAY | cosine (default: ${DEFAULT-VALUE})."),
    MOMENTUM(Section.TRAINING, "momentum", Kind.REAL, "MU", "0", "Heavy-ball momentum in [0,1) (default: ${DEFAULT-VALUE})."),
    STEPS(Section.TRAINING, "steps", Kind.LONG, "T", "1000", "Number of updates (default: ${DEFAULT-VALUE})."),
    EPOCHS(Section.TRAINING, "epochs", Kind.LONG, "E", "0",
            "Number of epochs instead of --steps (an epoch is ceil(n/batch) steps; 1 step for gd; default: ${DEFAULT-VALUE} = use --steps)."),
    BATCH(Section.TRAINING, "batch", Kind.INT, "B", "128", "Minibatch size for sgd (default: ${DEFAULT-VALUE})."),
    SAMPLING(Section.TRAINING, "sampling", Kind.TEXT, "S", "shuffle",
            "sgd batches: shuffle (reshuffled epochs) | replacement (default: ${DEFAULT-VALUE})."),
    SEED(Section.TRAINING, "seed", Kind.LONG, "S", "0",
            "Seed of initialization, batches and transforms; same seed + threads = identical run (default: ${DEFAULT-VALUE})."),
    RECORD_EVERY(Section.TRAINING, "record_every", Kind.INT, "K", "10",
            "Measure ||grad L||^2, ||w - w0|| and accuracies every K steps (default: ${DEFAULT-VALUE}); the loss is",
            "recorded at every step. Between records the update is folded into the gradient GEMMs."),
    TARGET_LOSS(Section.TRAINING, "target_loss", Kind.REAL, "EPS", "0",
            "Stop once the training loss is <= EPS (default: ${DEFAULT-VALUE} = run all steps); the summary",
            "reports steps_to_target. Checked every step for gd, at record steps for sgd."),
    STOP_AT_FIT(Section.TRAINING, "stop_at_fit", Kind.FLAG, null, "false",
            "Stop once every training sample is classified correctly (100%% training accuracy; class or",
            "+-1 labels); the summary reports steps_to_fit, Zhang et al. 2017's time to fit."),
    // ---- output
    OUT(Section.OUTPUT, "out", Kind.TEXT, "DIR", "overparam-run", "Output folder (default: ${DEFAULT-VALUE})."),
    SAVE_MODEL(Section.OUTPUT, "save_model", Kind.TEXT, "FILE", null,
            "Also write the trained model to FILE (.npz or .safetensors)."),
    CHECKPOINT_EVERY(Section.OUTPUT, "checkpoint_every", Kind.LONG, "K", "0",
            "Write DIR.checkpoint.npz every K steps (default: ${DEFAULT-VALUE} = never)."),
    RESUME(Section.OUTPUT, "resume", Kind.TEXT, "FILE", null, "Continue from a checkpoint written by --checkpoint-every."),
    TRACK(Section.OUTPUT, "track", Kind.TEXT, "WHAT", null,
            "Also record, at the record steps, what the papers plot (any of, comma-separated):",
            "neurons (max, median, 90th pct of ||w_r(t) - w_r(0)|| over first-layer units; O(m d)),",
            "patterns (fraction of first-layer activation signs changed since init; one forward pass),",
            "kernel (||G(t) - G(0)||_2/||G(0)||_2 and lambda_min(G(t)) of the empirical NTK, every",
            "--kernel-every steps; one kernel, O(n^2 P)), linearization (gap to the linearized net trained",
            "alongside, train and test; gd on mse; one kernel at start), pl (||grad L||^2/L against",
            "2 lambda_min(G(t))/n). Into loss.csv and metrics.jsonl; nothing by default."),
    KERNEL_EVERY(Section.OUTPUT, "kernel_every", Kind.LONG, "K", "0",
            "Steps between --track kernel/pl kernels (default: ${DEFAULT-VALUE} = ten times --record-every)."),
    // ---- machine
    THREADS(Section.MACHINE, "threads", Kind.INT, "T", null, "OpenBLAS and elementwise threads (default: all cores).");

    /** The parts of {@link RunConfig}; {@link #heading} titles their group in {@code --help}. */
    public enum Section {
        DATA("Data"), NETWORK("Network"), TRAINING("Training"), OUTPUT("Output"), MACHINE("Machine");

        public final String heading;

        Section(String heading) {
            this.heading = heading;
        }

        /** The section's name in field paths such as {@code training.lr}. */
        public String path() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How a field is written: text (parsed by the section's record), a number, or an on/off flag. */
    public enum Kind {
        TEXT, REAL, LONG, INT, FLAG,
        /** a boolean that is on by default; its flag turns it off (e.g. {@code --no-bias}) */
        NEGATED_FLAG
    }

    public final Section section;
    /** The key in config.json and sweep specs (snake_case). */
    public final String key;
    public final Kind kind;
    /** The command line's parameter label, e.g. {@code ETA}; null for flags. */
    public final String label;
    /** The default as the command line would write it; null when the field has none (not given). */
    public final String defaultText;
    public final List<String> description;

    ConfigField(Section section, String key, Kind kind, String label, String defaultText, String... description) {
        this.section = section;
        this.key = key;
        this.kind = kind;
        this.label = label;
        this.defaultText = defaultText;
        this.description = List.of(description);
    }

    /** The command-line flag: {@code --lr}, {@code --lr-schedule}, {@code --no-bias}. */
    public String flag() {
        return (kind == Kind.NEGATED_FLAG ? "--no-" : "--") + key.replace('_', '-');
    }

    /** The field's path in error messages, e.g. {@code training.lr}. */
    public String path() {
        return section.path() + "." + key;
    }

    /** The field with this config.json key, or null. */
    public static ConfigField ofKey(String key) {
        for (ConfigField f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        return null;
    }
}
