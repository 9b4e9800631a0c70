package org.overparam.cli;

import java.util.concurrent.Callable;
import org.overparam.experiment.NtkRun;
import org.overparam.experiment.RunConfig;
import org.overparam.kernel.OutputMode;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam ntk}: the empirical neural tangent kernel Gram of a network on data. */
@Command(name = "ntk", header = "The empirical NTK Gram of a network on data, with its spectrum and rank.", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"The empirical NTK Gram Theta_ij = sum_theta dh(x_i)/dtheta * dh(x_j)/dtheta",
                "= (J J^T)_ij of a network on data, without materializing J: a sum over",
                "layers of (Delta_l Delta_l^T) * (s_l^2 A A^T + beta_l^2); optionally its",
                "spectrum and rank. The Gram is written as float64 .npy.", "",
                "Conventions:",
                "  gradients:  w.r.t. every weight and bias of the counted layers, as",
                "              torch.func / functorch computes them for an nn.Sequential",
                "  ntk:        the scale factors sigma_w/sqrt(fan_in), sigma_b enter squared",
                "  --outputs:  trace = sum over outputs (n x n; a sum, not a mean),",
                "              blocks = (k, n, n), full = (n*k) x (n*k), index i*k + a;",
                "              ranks and eigenvalues of vector-output nets use full",
                "  rank:       #{sigma_i > max(rows, cols)*eps*sigma_1} on the SVD of J",
                "              when J fits (<= 5e7 entries); else lambda_i > n*eps*lambda_max",
                "              on the Gram (numpy matrix_rank(G, hermitian=True)), which",
                "              squares the condition number; --rank-tol overrides", ""})
public final class NtkCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "A state dict (.npz or .safetensors); or build one with --hidden.")
    String model;

    @Option(names = "--hidden", paramLabel = "W1,W2,...", description = "Hidden widths of a freshly initialized network (1 output).")
    String hidden;

    @Option(names = "--arch", paramLabel = "LAYERS", description = "Any network of conv, avgpool, gap, flatten, dense, "
            + "activation and res[...] layers (as train --arch); with --model, a PyTorch state dict of those layers. Its "
            + "kernel by Jacobian contraction, every layer counted.")
    String arch;

    @Option(names = "--parameterization", paramLabel = "P",
            description = "standard | ntk | du2019 | chen2021: the variables the kernel is taken in (default: ntk with"
                    + " --hidden, standard with --model, whose file holds standard-form weights).")
    String parameterization;

    @Option(names = "--sigma-w", paramLabel = "S", defaultValue = "1.0", description = "ntk weight scale (default: ${DEFAULT-VALUE}).")
    double sigmaW;

    @Option(names = "--sigma-b", paramLabel = "S", defaultValue = "0.0", description = "ntk bias scale (default: ${DEFAULT-VALUE}).")
    double sigmaB;

    @Option(names = "--no-bias", description = "No biases (for --hidden).")
    boolean noBias;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Initialization seed for --hidden (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "Activation(s) of the hidden layers, as for train (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "trainable",
            description = "Which layers count: trainable | all | first | last | 0,2 (default: ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--outputs", paramLabel = "M", defaultValue = "trace",
            description = "trace | blocks | full for multi-output nets (default: ${DEFAULT-VALUE}).")
    String outputs;

    @Option(names = "--out", paramLabel = "G.npy", description = "Write the Gram (float64 .npy).")
    String out;

    @Option(names = "--spectrum", description = "Eigenvalues: lambda_min, lambda_max, condition number, rank (with residuals); --json implies it.")
    boolean spectrum;

    @Option(names = "--all-eigenvalues", description = "Use dense dsyevd even above n = 5000 (slow: O(n^3)).")
    boolean allEigenvalues;

    @Option(names = "--rank-tol", paramLabel = "TOL", defaultValue = "0",
            description = "Tolerance on singular values for the rank (default: the numpy rule).")
    double rankTol;

    @Option(names = "--compare-infinite", description = {
            "Compare with the analytic infinite-width NTK (ntk parameterization, --hidden only): relative",
            "Frobenius distance, and its Monte-Carlo decay with the width (fitted exponent; theory: -1/2)."})
    boolean compareInfinite;

    @Option(names = "--mc-samples", paramLabel = "S", defaultValue = "5",
            description = "Random networks per width for --compare-infinite (default: ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--mc-widths", paramLabel = "M1,M2,...", defaultValue = "64,256,1024",
            description = "Widths for --compare-infinite (default: ${DEFAULT-VALUE}).")
    String mcWidths;

    @picocli.CommandLine.Mixin
    InputsOptions inputs;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        int t = run.threadCount();
        var parsed = spec.commandLine().getParseResult();
        String p = parameterization != null ? parameterization : model != null ? "standard" : "ntk";
        if (model != null && parsed.hasMatchedOption("--no-bias")) {
            throw new org.overparam.InputError("--no-bias is for --hidden; with --model the file says which layers have "
                    + "biases");
        }
        if (model != null && p.trim().equalsIgnoreCase("standard")) {
            for (String o : new String[] {"--sigma-w", "--sigma-b"}) {
                if (parsed.hasMatchedOption(o)) {
                    throw new org.overparam.InputError(o + " has no effect with --model in the standard "
                            + "parameterization (the file holds the weights); drop it, or give --parameterization ntk to "
                            + "take the kernel in ntk variables with these scales");
                }
            }
        }
        // every name parsed here, once (issue 12)
        NtkRun.Spec s = new NtkRun.Spec(model, hidden == null ? null : RunConfig.parseWidths(hidden),
                Parameterization.parse(p), sigmaW, sigmaB, !noBias, seed, NetworkSpec.parseActivations(activation),
                arch != null && layers.equals("trainable") ? null : NtkRun.parseLayers(layers), OutputMode.parse(outputs), inputs.data, inputs.dataset, inputs.normalize,
                out, spectrum || run.json, allEigenvalues, rankTol, t, compareInfinite, mcSamples,
                NtkRun.parseWidthList(mcWidths), arch == null ? null
                        : org.overparam.experiment.Parsed.of(arch, org.overparam.nn.Arch::parse));
        org.overparam.experiment.NtkAnalysis r = NtkRun.execute(s);
        run.print(r, r.toMap(), spec.commandLine().getOut());
        return 0;
    }
}
