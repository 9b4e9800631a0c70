package org.overparam.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.EnumSet;
import java.util.Set;
import org.overparam.InputError;
import org.overparam.experiment.ConfigError;
import org.overparam.experiment.ConfigField;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.TrainRun;
import org.overparam.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code overparam train}: every configuration option maps to one {@link ConfigField} of {@link RunConfig}. */
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
public final class TrainCommand implements Callable<Integer>, TakesConfig {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print exactly one JSON object (the summary) on standard output; logs go to stderr.")
    boolean json;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Repeat a run from its config.json (other options are ignored except --out, --threads, --json).")
    String config;

    /** The configuration fields train takes: all of them. */
    static final Set<ConfigField> FIELDS = EnumSet.allOf(ConfigField.class);

    @Override
    public Set<ConfigField> configFields() {
        return FIELDS;
    }

    @Override
    public Integer call() {
        ParseResult pr = spec.commandLine().getParseResult();
        Map<String, Object> given = ConfigOptions.given(pr, FIELDS);
        RunConfig c;
        if (config != null) {
            Map<String, Object> keep = new java.util.LinkedHashMap<>();
            for (ConfigField f : List.of(ConfigField.OUT, ConfigField.THREADS)) {
                if (given.containsKey(f.key)) {
                    keep.put(f.key, given.get(f.key));
                }
            }
            c = readConfig(Path.of(config), keep);
        } else {
            if (given.get("dataset") != null && given.get("data") != null) {
                throw new InputError("give either --dataset or --data, not both");
            }
            if (given.containsKey("steps") && given.get("epochs") instanceof Long e && e > 0) {
                throw new InputError("give either --steps or --epochs, not both");
            }
            if (given.containsKey("init_model") && !given.containsKey("hidden")) {
                given.put("hidden", null); // the shapes come from the model file
            }
            c = fromOptions(given);
        }
        try {
            return run(c, spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        } catch (ConfigError e) { // a field found wrong only with the data (e.g. epochs too many for n)
            throw config != null ? e.in(config) : new InputError(e.forFlag(), e);
        }
    }

    /** The configuration of a config.json an overparam run wrote, with {@code changes} (e.g. out, threads) applied. */
    static RunConfig readConfig(Path file, Map<String, Object> changes) {
        Object parsed = Json.read(file);
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("config") instanceof Map<?, ?> inner)) {
            throw new InputError(file + ": not an overparam config.json (no 'config' object)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> cm = new java.util.LinkedHashMap<>((Map<String, Object>) inner);
        cm.putAll(changes);
        return RunConfig.fromMap(cm, file.toString());
    }

    /** {@link RunConfig#forLoading} from command-line fields, a field's error reported under its flag. */
    static RunConfig forLoading(Map<String, Object> given) {
        try {
            return RunConfig.forLoading(given, null);
        } catch (ConfigError e) {
            throw new InputError(e.forFlag(), e);
        }
    }

    /** A configuration from command-line fields; a field's error is reported under its flag. */
    static RunConfig fromOptions(Map<String, Object> given) {
        try {
            return RunConfig.fromFields(given);
        } catch (ConfigError e) {
            throw new InputError(e.forFlag(), e);
        }
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
