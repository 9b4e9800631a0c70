package org.overparam.cli;

import java.util.concurrent.Callable;
import org.overparam.experiment.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overparam demo}: the setting of Du, Zhai, Poczos &amp; Singh (ICLR 2019) — n points uniform on the
 * unit sphere S^{d−1} with N(0,1) targets, a wide two-layer ReLU net f(x) = (1/√m)·Σ_r a_r·relu(w_rᵀx)
 * with fixed a_r = ±1, full-batch GD on mse = (1/(2n))·Σ(f(x_i) − y_i)². The theory predicts the loss
 * falls linearly (a straight line on the log plot) while the weights barely move.
 */
@Command(name = "demo", header = "Train Du et al.'s wide two-layer ReLU net on sphere data, then check the theory.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a wide two-layer ReLU network (Du et al. 2019) with full-batch GD on",
                "points uniform on the unit sphere and write DIR/loss.csv, loss.svg,",
                "summary.json and config.json. Equivalent to:",
                "  overparam train --dataset sphere:n=N,d=D --parameterization du2019",
                "    --no-bias --hidden M --activation relu --loss mse --optimizer gd",
                "    --lr LR --steps T --out DIR",
                "then runs the theorem checks pl-least-squares, ntk-max-step and",
                "lazy-training on that run (its data, net, step and length) and writes",
                "DIR/certificate/",
                "(certificate.json, report.html)."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--n", paramLabel = "N", defaultValue = "100", description = "Number of points (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", paramLabel = "D", defaultValue = "10", description = "Input dimension (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--width", paramLabel = "M", defaultValue = "8192", description = "Hidden width m (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "20", description = "Step size (default: ${DEFAULT-VALUE}; diverges near 80 on the default problem).")
    double lr;

    @Option(names = "--steps", paramLabel = "T", defaultValue = "2000", description = "GD steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "OpenBLAS threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print exactly one JSON object (the summary) on standard output.")
    boolean json;

    @Option(names = "--no-checks", description = "Skip the theorem checks (DIR/certificate/report.html).")
    boolean noChecks;

    /** Checks whose setting the demo is: squared loss, Du et al.'s two-layer ReLU model. */
    static final java.util.List<String> DEMO_CHECKS = java.util.List.of("pl-least-squares", "ntk-max-step",
            "lazy-training");

    @Override
    public Integer call() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("dataset", "sphere:n=" + n + ",d=" + d + ",seed=" + seed);
        m.put("hidden", Integer.toString(width));
        m.put("parameterization", "du2019");
        m.put("bias", false);
        m.put("train_layers", "first");
        m.put("lr", lr);
        m.put("steps", steps);
        m.put("seed", seed);
        m.put("record_every", 10);
        m.put("out", out);
        m.put("threads", t);
        RunConfig c = RunConfig.defaults().with(m, "demo");
        int code = TrainCommand.run(c, spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        if (code != 0 || noChecks) {
            return code;
        }
        // The tour of the lecture: theorem checks on the demo's own run (its data, net, step and length), into
        // DIR/certificate/.
        org.overparam.experiment.CertifyReport cert = org.overparam.experiment.CertifyRun.execute(false, DEMO_CHECKS, c,
                out, java.nio.file.Path.of(out, "certificate").toString(), t,
                org.overparam.theory.CheckSettings.DEFAULT_TREND_WIDTHS);
        var err = spec.commandLine().getErr();
        for (org.overparam.experiment.CertifiedCheck r : cert.checks()) {
            err.printf("check %-18s %-40s %s%n", r.id(), r.summary(), r.why());
        }
        err.println("theorem checks: " + cert.outputFolder() + "/report.html");
        err.flush();
        return 0;
    }
}
