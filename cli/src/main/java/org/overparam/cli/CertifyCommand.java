package org.overparam.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.overparam.experiment.CertifyRun;
import org.overparam.experiment.RunConfig;
import org.overparam.io.Json;
import java.nio.file.Path;
import org.overparam.experiment.ConfigField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam certify}: theorem checks with hypothesis, measured value, bound and verdict. */
@Command(name = "certify", header = "Theorem checks: hypothesis, measured value, bound and verdict.", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run theorem checks on a run -- the data, network and training options of train",
                "(or --run DIR, a folder train wrote) -- or, with --all, on built-in presets,",
                "and write DIR/certificate.json and",
                "DIR/report.html (one self-contained page: verdict table and SVG plots). Each",
                "check prints its claim, the paper and equation, the hypothesis and whether",
                "it is met, what it measured, the bound and exactly one verdict:",
                "holds | violated | hypothesis not met | inconclusive (with why).",
                "Two questions, answered separately: is the hypothesis met (a width",
                "requirement with unstated constants never is), and is the conclusion",
                "observed on this run (observed | not observed | undecided, e.g. a horizon",
                "too short to decide). holds = met and observed; violated = met and not",
                "observed; inconclusive = met and undecided.", "",
                "Every check that trains uses the run's settings: --lr, --steps (or --epochs),",
                "--seed, --batch (last-layer-convex trains only the last layer, at half its",
                "critical step); each check's parameters are in the certificate.", "",
                "Conventions: our mse is (1/(2n)) sum ||h - y||^2; papers mostly use",
                "(1/2) sum ||u - y||^2, so every rate and constant is converted explicitly",
                "(e.g. eta_eff = eta/n) and printed.", ""})
public final class CertifyCommand implements Callable<Integer>, TakesConfig {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--all", description = "Every check on its built-in presets (which bring their own setups: no run options).")
    boolean all;

    @Option(names = "--checks", paramLabel = "IDS", split = ",",
            description = {"Checks to run on the setup, comma-separated ids (listed below with their",
                    "claims)."})
    List<String> checks;

    @Option(names = "--trend-widths", paramLabel = "M1,M2,...", split = ",", defaultValue = "64,256,1024", description = {
            "Widths of the checks that measure a trend over a family of runs (linearization), each",
            "trained with the run's settings (default: ${DEFAULT-VALUE})."})
    List<Integer> trendWidths;

    @Option(names = "--run", paramLabel = "DIR", description = {
            "Certify a finished run: the folder train wrote (its config.json gives data, network and",
            "training; the checks retrain it with those settings: the same trajectory to rounding)."})
    Path run;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-certificate",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    String out;

    @picocli.CommandLine.Mixin
    RunOptions threads;

    /** The run's options: data, network and training, as for train. */
    static final java.util.Set<ConfigField> FIELDS = ConfigOptions.sections(ConfigField.Section.DATA,
            ConfigField.Section.NETWORK, ConfigField.Section.TRAINING);

    /** certify's own defaults: a small net and a short run (the checks train it, some several times). */
    static final Map<ConfigField, String> DEFAULTS = Map.of(ConfigField.HIDDEN, "64", ConfigField.STEPS, "200");

    @Override
    public java.util.Set<ConfigField> configFields() {
        return FIELDS;
    }

    @Override
    public Map<ConfigField, String> defaults() {
        return DEFAULTS;
    }

    @Override
    public Integer call() {
        int t = threads.threadCount();
        var pr = spec.commandLine().getParseResult();
        Map<String, Object> given = ConfigOptions.given(pr, FIELDS);
        RunConfig c;
        String source = "options";
        if (all) {
            // nothing is silently ignored (issue 13): --all's presets bring their own setups and settings
            List<String> ignored = new java.util.ArrayList<>(given.keySet().stream()
                    .map(k -> ConfigField.ofKey(k).flag()).toList());
            for (String o : List.of("--run", "--trend-widths")) {
                if (pr.hasMatchedOption(o)) {
                    ignored.add(o);
                }
            }
            if (!ignored.isEmpty()) {
                throw new org.overparam.InputError("--all runs every check on its built-in presets; drop "
                        + String.join(", ", ignored));
            }
        }
        if (run != null) {
            if (!given.isEmpty()) {
                throw new org.overparam.InputError("--run takes the run's settings from its config.json; drop "
                        + String.join(", ", given.keySet().stream().map(k -> ConfigField.ofKey(k).flag()).toList()));
            }
            c = TrainCommand.readConfig(run.resolve("config.json"), Map.of("threads", t, "out", out));
            source = run.toString();
        } else {
            Map<String, Object> m = ConfigOptions.values(pr, FIELDS, DEFAULTS);
            if (given.containsKey("init_model") && !given.containsKey("hidden")) {
                m.put("hidden", null); // the shapes come from the model file
            }
            m.put("out", out);
            m.put("threads", t);
            c = TrainCommand.fromOptions(m);
        }
        org.overparam.experiment.CertifyReport cert = CertifyRun.execute(all, checks, c, source, out, t, trendWidths,
                line -> {
                    spec.commandLine().getErr().println(line);
                    spec.commandLine().getErr().flush();
                });
        var o = spec.commandLine().getOut();
        if (threads.json) {
            // the same checks and provenance as certificate.json
            o.println(Json.writeCompact(cert));
        } else {
            o.printf("%-22s %-40s %-60s %s%n", "check", "verdict", "setup", "why");
            for (org.overparam.experiment.CertifiedCheck r : cert.checks()) {
                o.printf("%-22s %-40s %-60s %s%n", r.id(), r.summary(), r.setup(), r.why());
            }
            o.println("wrote " + cert.outputFolder() + "/certificate.json and report.html");
        }
        o.flush();
        return 0;
    }

    /**
     * The "Checks:" section of --help, generated from the registry (a hand-written list omitted one): each id and
     * its claim, wrapped to 80 columns.
     */
    static String[] checksFooter() {
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of("", "Checks:"));
        for (java.util.Map.Entry<String, String> e : CertifyRun.checkClaims().entrySet()) {
            lines.add("  " + e.getKey());
            StringBuilder line = new StringBuilder("      ");
            for (String word : e.getValue().split("\\s+")) {
                if (line.length() + word.length() + 1 > 80 && line.length() > 6) {
                    lines.add(line.toString().stripTrailing());
                    line = new StringBuilder("      ");
                }
                line.append(word).append(' ');
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines.toArray(new String[0]);
    }

    static List<String> ids() {
        return Arrays.asList(CertifyRun.checkIds().toArray(new String[0]));
    }
}
