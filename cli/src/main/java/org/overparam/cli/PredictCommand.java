package org.overparam.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.overparam.experiment.Parsed;
import org.overparam.experiment.PredictRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam predict}: gradient descent's outputs in closed form, for infinite-width kernels or a net's linearization. */
@Command(name = "predict", header = "GD's outputs in closed form: infinite-width ensembles or a linearization.",
        mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"The outputs of gradient descent on our mse (1/(2n)) sum ||f - y||^2 with",
                "step --lr, on training and test points, at --steps k (and/or flow --times t;",
                "inf = kernel regression):",
                "  f_k - y = (I - eta Theta/n)^k (f_0 - y) on the training set,",
                "  f_k(x) = f_0(x) + Theta(x,X) Theta^-1 (I - (I - eta Theta/n)^k)(y - f_0(X)).",
                "--kind ntk|nngp: the analytic kernel of --depth/--activation or --arch, an",
                "  infinite ensemble: its mean starts from f_0 = 0, test_cov is its covariance",
                "  (Lee et al. 2019, eqs. 15-16). --model FILE: that network's linearization",
                "  (f_0 its outputs, Theta its empirical NTK over every output).",
                "One eigendecomposition serves every step; negative eigenvalues (round-off)",
                "are set to 0 and counted. neural-tangents' gradient_descent_mse (loss",
                "0.5 sum (f - y)^2/(n k)) with learning_rate = eta * k gives the same.",
                "--centres M: kernel regression past memory (Nystrom, Falkon-style CG).",
                "Writes DIR/predictions.npz (steps, times, train_mean and test_mean:",
                "points x n x k; test_cov: points x n_test x n_test for ensembles),",
                "summary.json and a figure.", ""})
public class PredictCommand implements Callable<Integer>, TakesConfig {
    /** The configuration fields predict shares with train (flags, defaults and help from the one table). */
    static final java.util.Set<org.overparam.experiment.ConfigField> FIELDS = java.util.EnumSet.of(
            org.overparam.experiment.ConfigField.DATASET, org.overparam.experiment.ConfigField.DATA,
            org.overparam.experiment.ConfigField.LABELS, org.overparam.experiment.ConfigField.TEST_DATASET,
            org.overparam.experiment.ConfigField.TEST_DATA, org.overparam.experiment.ConfigField.TEST_LABELS,
            org.overparam.experiment.ConfigField.TEST_SPLIT, org.overparam.experiment.ConfigField.NORMALIZE,
            org.overparam.experiment.ConfigField.ONE_HOT, org.overparam.experiment.ConfigField.ACTIVATION,
            org.overparam.experiment.ConfigField.SIGMA_W, org.overparam.experiment.ConfigField.SIGMA_B,
            org.overparam.experiment.ConfigField.ARCH, org.overparam.experiment.ConfigField.SEED);

    @Override
    public java.util.Set<org.overparam.experiment.ConfigField> configFields() {
        return FIELDS;
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kind", paramLabel = "K", defaultValue = "ntk", description = "ntk | nngp (default: ${DEFAULT-VALUE}); ignored with --model.")
    String kind;

    @Option(names = "--model", paramLabel = "FILE", description = "A state dict: predict its linearization (fully connected, or with --arch).")
    String model;

    @Option(names = "--depth", paramLabel = "L", defaultValue = "1", description = "Hidden layers of the analytic kernel (default: ${DEFAULT-VALUE}).")
    int depth;














    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "1", description = "GD's step eta (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--steps", paramLabel = "K,...", description = "GD steps to predict at, e.g. 10,100,inf.")
    String steps;

    @Option(names = "--times", paramLabel = "T,...", description = "Gradient-flow times (in steps of eta), e.g. 0.5,50,inf.")
    String times;

    @Option(names = "--ridge", paramLabel = "R", defaultValue = "0", description = "Added to the training kernel's diagonal (absolute; default: ${DEFAULT-VALUE}).")
    double ridge;

    @Option(names = "--centres", paramLabel = "M", defaultValue = "0", description = {"Kernel regression past memory: the "
            + "Nystrom problem on M random training points, solved by Falkon-style preconditioned CG with K_nM kept "
            + "(memory O(n*M), the n x n kernel never formed); with --steps inf and --ridge > 0 (default: ${DEFAULT-VALUE}"
            + " = exact, dense)."})
    int centres;


    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-predict", description = "Output folder (default: ${DEFAULT-VALUE}).")
    String out;

    @picocli.CommandLine.Mixin
    RunOptions run;

    private static String fmt(double v) {
        return Double.isInfinite(v) ? "inf" : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Runs the spec: in this process here; {@code overparam-spark predict} overrides it to put K_nM on a cluster. */
    protected PredictRun.Result run(PredictRun.Spec s) {
        return PredictRun.execute(s);
    }

    @Override
    public Integer call() {
        // the data, activation, sigma and --arch options as config.json keys, read by the same RunConfig as train's
        Map<String, Object> d = new LinkedHashMap<>(ConfigOptions.given(spec.commandLine().getParseResult(), FIELDS));
        org.overparam.experiment.RunConfig rc = org.overparam.experiment.RunConfig.defaults().with(d, "predict");
        org.overparam.experiment.NetworkConfig nc = rc.network();
        PredictRun.Kind k = model != null ? PredictRun.Kind.MODEL : switch (kind.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "ntk" -> PredictRun.Kind.NTK;
            case "nngp" -> PredictRun.Kind.NNGP;
            default -> throw new org.overparam.InputError("unknown --kind '" + kind + "'; use ntk or nngp");
        };
        PredictRun.Result r = run(new PredictRun.Spec(k, depth, nc.activations(), nc.sigmaW(),
                nc.sigmaB(), nc.arch(), model, d, lr,
                PredictRun.parseList(steps, "--steps", true), PredictRun.parseList(times, "--times", false), ridge, out,
                run.threadCount(), centres));
        Map<String, Object> lines = new LinkedHashMap<>(org.overparam.io.JsonBinding.toMap(r));
        lines.remove("points");
        lines.remove("convention");
        lines.remove("solver");
        run.print(r, lines, spec.commandLine().getOut());
        if (!run.json) {
            // the trajectory as a table: the numbers a reader compares, one line per point
            java.io.PrintWriter w = spec.commandLine().getOut();
            w.println(String.format(java.util.Locale.ROOT, "%-14s %-14s %-14s %s", "point", "train_mse", "test_mse",
                    "test_accuracy"));
            if (r.solver() != null) {
                org.overparam.io.JsonBinding.toMap(r.solver()).forEach((kk, v) -> w.println("solver." + kk + ": " + v));
            }
            for (PredictRun.Point p : r.points()) {
                String at = p.step() != null ? "step " + fmt(p.step()) : "time " + fmt(p.time());
                w.println(String.format(java.util.Locale.ROOT, "%-14s %-14.6g %-14.6g %s", at, p.trainMse(),
                        p.testMse(), p.testAccuracy() == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f",
                                p.testAccuracy())));
            }
            w.println("convention: " + r.convention());
            w.flush();
        }
        return 0;
    }
}
