package org.overparam.cli;

import java.util.concurrent.Callable;
import org.overparam.experiment.KernelRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam kernel}: analytic infinite-width kernels of data. */
@Command(name = "kernel", header = "Analytic infinite-width kernels: NTK, NNGP, H-infinity, random features.", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"An analytic infinite-width kernel of the data, written as float64 .npy:",
                "  ntk, nngp  the NTK / NNGP of neural-tangents' stax.serial(",
                "             *[Dense(W_std=sigma_w, b_std=sigma_b), act] * L, Dense(1, ...)),",
                "             parameterization='ntk': K0 = X X^T/d, Theta0 = 0;",
                "             Dense: K <- sigma_w^2 K + sigma_b^2, Theta <- K + sigma_w^2 Theta;",
                "             act: K <- E[phi(u)phi(v)], Theta <- E[phi'(u)phi'(v)] Theta,",
                "             (u,v) ~ N(0, K). Per output unit (a k-output net has Theta x I_k).",
                "             Closed forms for relu, leaky_relu, linear, erf, step (phi' = 0);",
                "             Otherwise nested quadrature on the Gaussian's and the",
                "             activation's scales: within 1e-10 of sqrt(K_ii K_jj)",
                "             at any input scale, 400 to 10^5 phi evaluations per entry.",
                "  hinf       Du et al. 2019: H_ij = E_w[x_i^T x_j 1{w^T x_i >= 0,",
                "             w^T x_j >= 0}] = x_i^T x_j (pi - theta_ij)/(2 pi);",
                "             lambda0 = lambda_min(H).",
                "  rf         random features: K_ij = E_w[sigma(w^T x_i) sigma(w^T x_j)],",
                "             w ~ N(0, I).", ""})
public final class KernelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kind", paramLabel = "K", defaultValue = "ntk", description = "ntk | nngp | hinf | rf (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--depth", paramLabel = "L", defaultValue = "1", description = "Hidden layers L (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "Activation (one for all layers or one per layer) (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--arch", paramLabel = "LAYERS", description = {"The NTK or NNGP of any network of conv, avgpool, gap, "
            + "flatten, dense, activation and res[...] layers (as train --arch; channel counts are ignored: infinite width), "
            + "instead of --depth/--activation, e.g. conv:1:3,relu,conv:1:3,relu,flatten,dense:1.",
            "Inputs: images (4-d .npy, mnist, cifar10, image=CxHxW)."})
    String arch;

    @Option(names = "--sigma-w", paramLabel = "S", defaultValue = "1.0", description = "W_std (default: ${DEFAULT-VALUE}).")
    double sigmaW;

    @Option(names = "--sigma-b", paramLabel = "S", defaultValue = "0.0", description = "b_std (default: ${DEFAULT-VALUE}).")
    double sigmaB;

    @Option(names = "--out", paramLabel = "K.npy", description = "Write the kernel (float64 .npy).")
    String out;

    @Option(names = "--spectrum", description = "lambda_min (lambda0 for hinf), lambda_max, condition number, rank; --json implies it.")
    boolean spectrum;

    @Option(names = "--rank-tol", paramLabel = "TOL", defaultValue = "0",
            description = "Rank tolerance on sqrt(eigenvalues) (default: n*eps*lambda_max on the eigenvalues).")
    double rankTol;

    @picocli.CommandLine.Mixin
    InputsOptions inputs;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        int t = run.threadCount();
        org.overparam.experiment.KernelAnalysis r = KernelRun.execute(new KernelRun.Spec(KernelRun.Kind.parse(kind), depth,
                org.overparam.experiment.Parsed.of(activation, org.overparam.nn.NetworkSpec::parseActivations), sigmaW, sigmaB,
                inputs.data, inputs.dataset, inputs.normalize, out, spectrum || run.json, rankTol, t,
                arch == null ? null : org.overparam.experiment.Parsed.of(arch, org.overparam.nn.Arch::parse)));
        run.print(r, r.toMap(), spec.commandLine().getOut());
        return 0;
    }
}
