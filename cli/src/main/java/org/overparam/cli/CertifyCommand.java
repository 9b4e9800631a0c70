package org.overparam.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.overparam.experiment.CertifyRun;
import org.overparam.experiment.RunConfig;
import org.overparam.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam certify}: theorem checks with hypothesis, measured value, bound and verdict. */
@Command(name = "certify", header = "Theorem checks: hypothesis, measured value, bound and verdict.", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run theorem checks on a setup (data and network options as for train) or,",
                "with --all, on built-in presets, and write DIR/certificate.json and",
                "DIR/report.html (one self-contained page: verdict table and SVG plots). Each",
                "check prints its claim, the paper and equation, the hypothesis and whether",
                "it is met, what it measured, the bound and exactly one verdict:",
                "holds | violated | hypothesis not met | inconclusive (with why).", "",
                "Conventions: our mse is (1/(2n)) sum ||h - y||^2; papers mostly use",
                "(1/2) sum ||u - y||^2, so every rate and constant is converted explicitly",
                "(e.g. eta_eff = eta/n) and printed.", ""})
public final class CertifyCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--all", description = "Every check on its built-in presets (ignores the setup options).")
    boolean all;

    @Option(names = "--checks", paramLabel = "IDS", split = ",",
            description = {"Checks to run on the setup, comma-separated ids (listed below with their",
                    "claims)."})
    List<String> checks;

    @Option(names = "--steps", paramLabel = "T", defaultValue = "200",
            description = "GD steps for the checks that train (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--dataset", paramLabel = "SPEC", description = "Data by name, as for train.")
    String dataset;

    @Option(names = "--data", paramLabel = "FILE", description = "Inputs (n, d).")
    String data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels.")
    String labels;

    @Option(names = "--normalize", description = "Scale every input to the unit sphere.")
    boolean normalize;

    @Option(names = "--one-hot", description = "One-hot class labels (mse on classes).")
    boolean oneHot;

    @Option(names = "--hidden", paramLabel = "W1,...", description = "Hidden widths (default 64), or --model.")
    String hidden;

    @Option(names = "--model", paramLabel = "FILE", description = "A state dict (.npz/.safetensors) instead of --hidden.")
    String model;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", description = "Activation(s) (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--parameterization", paramLabel = "P", defaultValue = "standard",
            description = "standard | ntk | du2019 | chen2021 (default: ${DEFAULT-VALUE}).")
    String parameterization;

    @Option(names = "--sigma-w", paramLabel = "S", defaultValue = "1.0", description = "ntk sigma_w (default: ${DEFAULT-VALUE}).")
    double sigmaW;

    @Option(names = "--sigma-b", paramLabel = "S", defaultValue = "0.0", description = "ntk sigma_b (default: ${DEFAULT-VALUE}).")
    double sigmaB;

    @Option(names = "--no-bias", description = "No biases.")
    boolean noBias;

    @Option(names = "--train-layers", paramLabel = "L", defaultValue = "all", description = "Trained layers (default: ${DEFAULT-VALUE}).")
    String trainLayers;

    @Option(names = "--loss", paramLabel = "L", defaultValue = "mse", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-certificate",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    String out;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        int t = run.threadCount();
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("dataset", dataset);
        m.put("data", data);
        m.put("labels", labels);
        m.put("normalize", normalize);
        m.put("one_hot", oneHot);
        m.put("hidden", hidden == null && model == null ? "64" : hidden);
        m.put("activation", activation);
        m.put("parameterization", parameterization);
        m.put("sigma_w", sigmaW);
        m.put("sigma_b", sigmaB);
        m.put("bias", !noBias);
        m.put("train_layers", trainLayers);
        m.put("init_model", model);
        m.put("loss", loss);
        m.put("steps", steps);
        m.put("seed", seed);
        m.put("record_every", 1);
        m.put("out", out);
        m.put("threads", t);
        RunConfig c = RunConfig.defaults().with(m, "certify");
        org.overparam.experiment.CertifyReport cert = CertifyRun.execute(all, checks, c, steps, out, t);
        var o = spec.commandLine().getOut();
        if (run.json) {
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
