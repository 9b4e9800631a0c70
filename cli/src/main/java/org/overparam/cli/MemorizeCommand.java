package org.overparam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.overparam.InputError;
import org.overparam.experiment.DataLoader;
import org.overparam.experiment.LoadedData;
import org.overparam.experiment.RunConfig;
import org.overparam.memorization.Memorization;
import org.overparam.memorization.MemorizationResult;
import org.overparam.nn.ModelFile;
import org.overparam.experiment.ConfigField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam memorize}: a ReLU network that fits the labels exactly, by construction (no training). */
@Command(name = "memorize", header = "Build a ReLU network that fits the data exactly, without training.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Constructs the weights of a ReLU network that interpolates n points with",
                "distinct inputs:",
                "  zhang  2 layers, n hidden units, 2n+d weights (Zhang et al. 2017, Thm 1)",
                "  yun    3 layers, two hidden layers of width O(sqrt n), O(n) weights",
                "         besides the input layer (a construction with the widths of Yun,",
                "         Sra & Jadbabaie 2019)",
                "Real labels (n,) or (n, k) are fit as they are; --one-hot fits integer class",
                "labels with one output per class. Prints the max and relative error",
                "measured with the saved network's forward pass."})
public final class MemorizeCommand implements Callable<Integer>, TakesConfig {
    /** The configuration fields memorize takes: the data to fit. */
    static final java.util.Set<ConfigField> FIELDS = java.util.EnumSet.of(ConfigField.DATASET, ConfigField.DATA,
            ConfigField.LABELS, ConfigField.ONE_HOT);

    @Override
    public java.util.Set<ConfigField> configFields() {
        return FIELDS;
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--construction", paramLabel = "NAME", defaultValue = "yun",
            description = "yun or zhang (default: ${DEFAULT-VALUE}).")
    String construction;

    @Option(names = "--save-model", required = true, paramLabel = "FILE",
            description = "Where to write the network (.npz or .safetensors state dict, ReLU activations).")
    String saveModel;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the projection directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        int t = run.applyThreads();
        java.util.Map<String, Object> m = ConfigOptions.given(spec.commandLine().getParseResult(), FIELDS);
        String data = (String) m.get("data");
        String labels = (String) m.get("labels");
        String dataset = (String) m.get("dataset");
        String c = construction.toLowerCase(Locale.ROOT);
        if (!c.equals("yun") && !c.equals("zhang")) {
            throw new InputError("--construction " + construction + ": use yun or zhang");
        }
        String name = Path.of(saveModel).getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".npz") && !name.endsWith(".safetensors")) {
            throw new InputError("--save-model " + saveModel + ": use a .npz or .safetensors file name");
        }
        if (dataset == null && data != null && labels == null) {
            throw new InputError("memorize needs labels: add --labels FILE");
        }
        m.put("seed", seed);
        m.put("save_model", saveModel);
        m.put("threads", t);
        RunConfig cfg = TrainCommand.forLoading(m);
        LoadedData loaded = DataLoader.load(cfg);
        long start = System.nanoTime();
        MemorizationResult r = Memorization.fit(c, loaded.x(), loaded.y(), seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        try (var net = r.network()) {
            writeAtomically(net, Path.of(saveModel));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("construction", r.construction());
            s.put("data", loaded.description());
            s.put("n", r.n());
            s.put("d", loaded.x().cols());
            s.put("outputs", loaded.y().cols());
            s.put("hidden", Arrays.stream(r.hidden()).boxed().toList());
            s.put("max_error", r.maxError());
            s.put("relative_error", r.relativeError());
            s.put("exact", r.relativeError() <= 1e-8);
            s.put("free_weights", r.freeWeights());
            s.put("stored_numbers", r.storedNumbers());
            s.put("model", saveModel);
            s.put("seconds", seconds);
            run.print(s, spec.commandLine().getOut());
        }
        return 0;
    }

    /** Writes beside the target under a temporary name with the same extension, then renames. */
    private static void writeAtomically(org.overparam.nn.Network net, Path target) {
        org.overparam.io.AtomicFile.write(target, tmp -> ModelFile.write(net, tmp, null));
    }
}
