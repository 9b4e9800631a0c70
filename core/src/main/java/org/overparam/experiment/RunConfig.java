package org.overparam.experiment;

import static org.overparam.experiment.ConfigField.*;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.InputError;
import org.overparam.nn.Arch;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;
import org.overparam.theory.PathTracker;
import org.overparam.train.Loss;
import org.overparam.train.Optimizer;
import org.overparam.train.Sampling;
import org.overparam.train.Schedule;

/**
 * The fully resolved configuration of a training run: what {@code config.json} holds, and all a run needs to be
 * repeated. Its parts are typed: every name (loss, activation, schedule, …) is parsed once, here, from the
 * command line's options, a config.json or a sweep spec (all three are the same flat map of {@link ConfigField}
 * keys), and nothing downstream parses it again. Defaults and their descriptions live in {@link ConfigField}.
 */
public record RunConfig(DataConfig data, NetworkConfig network, TrainingConfig training, OutputConfig output,
        int threads) {

    public static final int MAX_THREADS = 1024;

    public RunConfig {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new ConfigError(THREADS, "must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
    }

    /** Every field at its default (threads: all cores). */
    public static RunConfig defaults() {
        return fromMap(Map.of(), "defaults");
    }

    /**
     * A configuration that only says what data (and model) to load, for commands that train nothing ({@code eval},
     * {@code memorize}): no steps, no hidden layers of its own, no output folder; {@code fields} (config.json keys)
     * are the data options and whatever else the command sets.
     */
    public static RunConfig forLoading(Map<String, Object> fields, String source) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put(HIDDEN.key, null);
        m.put(STEPS.key, 0L);
        m.put(RECORD_EVERY.key, 1);
        m.put(OUT.key, "unused");
        m.putAll(fields);
        return fromMap(m, source);
    }

    /** The seed of initialization, batches and transforms. */
    public long seed() {
        return training.seed();
    }

    /** The output folder. */
    public String out() {
        return output.out();
    }

    /**
     * This configuration with some fields replaced (config.json's snake_case keys, e.g. {@code
     * Map.of("seed", 3, "corrupt_labels", 0.2)}); an unknown key or a wrong value is an {@link InputError} naming
     * {@code source} and the field.
     */
    public RunConfig with(Map<String, Object> changes, String source) {
        Map<String, Object> m = toMap();
        m.putAll(changes);
        return fromMap(m, source);
    }

    /** The configuration as an ordered flat map for config.json (nulls kept: they say "not given"). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        DataConfig d = data;
        put(m, DATASET, d.dataset());
        put(m, DATA, d.data());
        put(m, LABELS, d.labels());
        put(m, TEST_DATASET, d.testDataset());
        put(m, TEST_DATA, d.testData());
        put(m, TEST_LABELS, d.testLabels());
        put(m, TEST_SPLIT, d.testSplit());
        put(m, CENTER, d.center());
        put(m, NORMALIZE, d.normalize());
        put(m, SUBSAMPLE, d.subsample());
        put(m, ONE_HOT, d.oneHot());
        put(m, CLASSES, d.classes());
        put(m, CORRUPT_LABELS, d.corruptLabels());
        put(m, SHUFFLE_PIXELS, d.shufflePixels());
        put(m, RANDOM_PIXELS, d.randomPixels());
        put(m, GAUSSIAN_INPUTS, d.gaussianInputs());
        NetworkConfig n = network;
        put(m, HIDDEN, n.hidden());
        put(m, ACTIVATION, n.activations());
        put(m, PARAMETERIZATION, n.parameterization());
        put(m, SIGMA_W, n.sigmaW());
        put(m, SIGMA_B, n.sigmaB());
        put(m, BIAS, n.bias());
        put(m, TRAIN_LAYERS, n.trainLayers());
        put(m, INIT_MODEL, n.initModel());
        put(m, ARCH, n.arch());
        TrainingConfig t = training;
        put(m, LOSS, t.loss());
        put(m, OPTIMIZER, t.optimizer());
        put(m, LR, t.lr());
        put(m, LR_SCHEDULE, t.schedule());
        put(m, MOMENTUM, t.momentum());
        put(m, STEPS, t.steps());
        put(m, EPOCHS, t.epochs());
        put(m, BATCH, t.batch());
        put(m, SAMPLING, t.sampling());
        put(m, SEED, t.seed());
        put(m, RECORD_EVERY, t.recordEvery());
        put(m, TARGET_LOSS, t.targetLoss());
        put(m, STOP_AT_FIT, t.stopAtFit());
        OutputConfig o = output;
        put(m, OUT, o.out());
        put(m, SAVE_MODEL, o.saveModel());
        put(m, CHECKPOINT_EVERY, o.checkpointEvery());
        put(m, RESUME, o.resume());
        put(m, TRACK, o.track());
        put(m, KERNEL_EVERY, o.kernelEvery());
        put(m, THREADS, threads);
        return m;
    }

    /** Parsed values are written as the text they came from, so a config rereads and hashes the same. */
    private static void put(Map<String, Object> m, ConfigField f, Object v) {
        m.put(f.key, v instanceof Parsed<?> p ? p.text() : v);
    }

    /**
     * The inverse of {@link #toMap()}: a config.json (or sweep point, or command line) read and parsed; missing keys
     * take their defaults. Errors name {@code source} and the field.
     */
    public static RunConfig fromMap(Map<String, Object> m, String source) {
        try {
            return read(new ConfigReader(m));
        } catch (ConfigError e) {
            throw e.in(source);
        } catch (InputError e) {
            throw new InputError(source + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #fromMap} but errors name the field only (the command line maps them to its flags). */
    public static RunConfig fromFields(Map<String, Object> m) {
        return read(new ConfigReader(m));
    }

    private static RunConfig read(ConfigReader r) {
        DataConfig data = new DataConfig(r.text(DATASET), r.text(DATA), r.text(LABELS), r.text(TEST_DATASET),
                r.text(TEST_DATA), r.text(TEST_LABELS), r.real(TEST_SPLIT), r.flag(CENTER), r.flag(NORMALIZE),
                r.integer(SUBSAMPLE), r.flag(ONE_HOT), r.integer(CLASSES), r.real(CORRUPT_LABELS), r.flag(SHUFFLE_PIXELS),
                r.flag(RANDOM_PIXELS), r.flag(GAUSSIAN_INPUTS));
        NetworkConfig network = new NetworkConfig(r.parsed(HIDDEN, RunConfig::parseWidths),
                r.required(ACTIVATION, NetworkSpec::parseActivations), r.required(PARAMETERIZATION, Parameterization::parse),
                r.real(SIGMA_W), r.real(SIGMA_B), r.flag(BIAS), r.required(TRAIN_LAYERS, TrainableLayers::parse),
                r.text(INIT_MODEL), r.parsed(ARCH, Arch::parse));
        TrainingConfig training = new TrainingConfig(r.required(LOSS, Loss::parse), r.required(OPTIMIZER, Optimizer::parse),
                r.real(LR), r.required(LR_SCHEDULE, Schedule::parse), r.real(MOMENTUM), r.whole(STEPS), r.whole(EPOCHS),
                r.integer(BATCH), r.required(SAMPLING, Sampling::parse), r.whole(SEED), r.integer(RECORD_EVERY),
                r.real(TARGET_LOSS), r.flag(STOP_AT_FIT));
        OutputConfig output = new OutputConfig(r.text(OUT), r.text(SAVE_MODEL), r.whole(CHECKPOINT_EVERY), r.text(RESUME),
                r.parsed(TRACK, PathTracker.Track::parseList), r.whole(KERNEL_EVERY));
        int threads = r.text(THREADS) == null ? Runtime.getRuntime().availableProcessors() : r.integer(THREADS);
        return new RunConfig(data, network, training, output, threads);
    }

    /** Hidden widths: {@code 512,512}, or {@code none} for a linear model. */
    public static List<Integer> parseWidths(String s) {
        if (s.isBlank()) {
            throw new InputError("give the hidden widths with --hidden, e.g. --hidden 512,512 (or --init-model FILE)");
        }
        if (s.trim().equals("none")) {
            return List.of();
        }
        if (s.trim().equals("0")) {
            throw new InputError("--hidden 0: a hidden layer needs a positive width; for a linear model (no hidden "
                    + "layer) write --hidden none");
        }
        try {
            return Arrays.stream(s.split(",")).map(String::trim).mapToLong(Long::parseLong).mapToObj(v -> {
                if (v <= 0 || v > Integer.MAX_VALUE / 2) {
                    throw new InputError("hidden width " + v + " is not a positive size; write e.g. --hidden 512,512");
                }
                return (int) v;
            }).toList();
        } catch (NumberFormatException e) {
            throw new InputError("bad --hidden '" + s + "'; write comma-separated widths such as 512,512");
        }
    }
}
