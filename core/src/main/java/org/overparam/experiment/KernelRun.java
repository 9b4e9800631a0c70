package org.overparam.experiment;

import java.nio.file.Path;
import java.util.List;
import org.overparam.InputError;
import org.overparam.kernel.GramSpectrum;
import org.overparam.kernel.InfiniteWidthKernel;
import org.overparam.kernel.LectureLimits;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.kernel.ConvKernel;
import org.overparam.kernel.Kernel;
import org.overparam.nn.Activation;
import org.overparam.nn.Arch;
import org.overparam.nn.NetworkSpec;

/**
 * {@code overparam kernel} as a library call: an analytic infinite-width kernel of the data — the NNGP or
 * NTK of neural-tangents' {@code stax.serial(*[Dense(W_std=σ_w, b_std=σ_b), act] * L, Dense(1, …))},
 * Du et al.'s H^∞, or the random-features kernel K^∞ — saved as .npy, with its spectrum.
 */
public final class KernelRun {
    private KernelRun() {
    }

    /** Which kernel: the infinite-width NTK or NNGP, Du et al.'s H^∞, or the random-features kernel. */
    public enum Kind {
        NTK, NNGP, HINF, RF;

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.cliName().equals(s.trim().toLowerCase(java.util.Locale.ROOT))) {
                    return k;
                }
            }
            throw new InputError("unknown --kind '" + s + "'; use ntk, nngp, hinf or rf");
        }

        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What to compute, every name already parsed (by the command line); the activation keeps its spelling. */
    public record Spec(Kind kind, int depth, Parsed<List<Activation>> activation, double sigmaW, double sigmaB,
            String data, String dataset, boolean normalize, String out, boolean spectrum, double rankTol, int threads,
            Parsed<Arch> arch) {
        public Spec(Kind kind, int depth, Parsed<List<Activation>> activation, double sigmaW, double sigmaB, String data,
                String dataset, boolean normalize, String out, boolean spectrum, double rankTol, int threads) {
            this(kind, depth, activation, sigmaW, sigmaB, data, dataset, normalize, out, spectrum, rankTol, threads, null);
        }
    }

    public static KernelAnalysis execute(Spec s) {
        long t0 = System.nanoTime();
        if (s.threads() < 1) {
            throw new InputError("--threads must be positive");
        }
        Blas.setThreads(s.threads());
        Parallel.setThreads(s.threads());
        if (s.out() != null && !s.out().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new InputError("--out " + s.out() + ": the kernel is written as .npy; use a .npy file name");
        }
        if (!(s.rankTol() >= 0) || s.rankTol() == Double.POSITIVE_INFINITY) {
            throw new InputError("--rank-tol must be a finite number >= 0 (0: the default n*eps*lambda_max), got "
                    + s.rankTol());
        }
        String kind = s.kind().cliName();
        List<Activation> acts = s.activation().value();
        Matrix x = NtkRun.loadInputs(s.data(), s.dataset(), s.normalize());
        int n = x.rows();
        int d = x.cols();
        KernelAnalysis.Definition def;
        Matrix k;
        long tk = System.nanoTime();
        if (s.arch() != null && (s.kind() == Kind.HINF || s.kind() == Kind.RF)) {
            throw new InputError("--arch gives the NTK or NNGP of a network; --kind " + kind + " is a fixed kernel");
        }
        switch (s.kind()) {
            case NTK, NNGP -> {
                if (s.arch() != null) {
                    ConvKernel ck = new ConvKernel(s.arch().value(), NtkRun.inputShape(s.data(), s.dataset(), d),
                            s.sigmaW(), s.sigmaB());
                    try (Kernel both = ck.compute(x)) {
                        k = (s.kind() == Kind.NTK ? both.ntk() : both.nngp()).copy();
                    }
                    def = new KernelAnalysis.Definition(s.arch().text(), null, null, s.sigmaW(), s.sigmaB(), List.of(
                            ck.allPixelPairs() ? "every pixel pair (the net pools)" : "same-position pixel pairs"),
                            "neural-tangents stax with parameterization='ntk' for --arch " + s.arch().text() + ": conv "
                            + "K'[p,q] = sigma_w^2 mean_delta K[p+delta, q+delta] + sigma_b^2 (zero padding, fan_in = "
                            + "C*K^2), Theta' = K' + sigma_w^2 mean_delta Theta; act per pixel pair; avgpool/gap average "
                            + "over pixel pairs; dense after flatten averages the diagonal; res:C adds C^2 times the "
                            + "branch's kernels");
                    break;
                }
                InfiniteWidthKernel ik = new InfiniteWidthKernel(s.depth(), acts, s.sigmaW(), s.sigmaB());
                k = s.kind() == Kind.NTK ? ik.ntk(x) : ik.nngp(x);
                def = new KernelAnalysis.Definition(s.depth(), s.activation().text(), s.sigmaW(), s.sigmaB(), ik.describe(),
                        "neural-tangents stax.serial(*[Dense(W_std=sigma_w, b_std=sigma_b), act] * L, "
                        + "Dense(1, W_std=sigma_w, b_std=sigma_b)), parameterization='ntk': K0 = X X^T/d, Theta0 = 0; "
                        + "Dense: K <- sigma_w^2 K + sigma_b^2, Theta <- K + sigma_w^2 Theta; act: K <- E[phi phi], "
                        + "Theta <- E[phi' phi'] Theta; per output (Theta x I_k implied)");
            }
            case HINF -> {
                k = LectureLimits.hInfinity(x);
                def = new KernelAnalysis.Definition(null, null, null, null, null,
                        "Du et al. 2019: H_ij = E_w[x_i^T x_j 1{w^T x_i >= 0, w^T x_j >= 0}], w ~ N(0, I) "
                        + "= x_i^T x_j (pi - theta_ij)/(2 pi)");
            }
            case RF -> {
                if (acts.size() != 1) {
                    throw new InputError("the random-features kernel takes one activation, got " + s.activation().text());
                }
                k = LectureLimits.randomFeatures(x, acts.get(0));
                def = new KernelAnalysis.Definition(null, s.activation().text(), null, null, null,
                        "random features: K_ij = E_w[sigma(w^T x_i) sigma(w^T x_j)], w ~ N(0, I) (no 1/d)");
            }
            default -> throw new IllegalStateException(s.kind().toString());
        }
        double kernelSeconds = (System.nanoTime() - tk) * 1e-9;
        String out = null;
        KernelAnalysis.Spectrum spectrum = KernelAnalysis.Spectrum.NONE;
        try {
            requireFinite(k, x, kind);
            if (s.out() != null) {
                NtkRun.writeNpy(k, OutputMode.TRACE, k.rows(), 1, Path.of(s.out()));
                out = Path.of(s.out()).toAbsolutePath().toString();
            }
            if (s.spectrum()) {
                GramSpectrum sp = GramSpectrum.of(k, k.rows(), k.rows(), s.rankTol(), false);
                spectrum = new KernelAnalysis.Spectrum(sp.lambdaMin(), sp.lambdaMinResidual(), sp.lambdaMax(),
                        sp.conditionNumber(), sp.rank(), sp.rankTolerance(), sp.rankRule(),
                        "eigenvalues of the kernel matrix itself", sp.method());
            }
        } finally {
            k.close();
            x.close();
        }
        return KernelAnalysis.of(n, d, kind, def, kernelSeconds, out, spectrum, (System.nanoTime() - t0) * 1e-9,
                Provenance.of(s.threads(), null));
    }

    /**
     * A kernel entry that overflowed (inputs of norm ~1e155 square past the double range) or came out NaN is a
     * user's input problem, said before anything is written: the inputs' scale, and what to do.
     */
    static void requireFinite(Matrix k, Matrix x, String kind) {
        java.nio.DoubleBuffer b = k.buffer();
        long size = k.size();
        for (long i = 0; i < size; i++) {
            double v = b.get((int) i);
            if (!Double.isFinite(v)) {
                double largest = 0;
                java.nio.DoubleBuffer xb = x.buffer();
                for (int j = 0; j < (int) x.size(); j++) {
                    largest = Math.max(largest, Math.abs(xb.get(j)));
                }
                throw new InputError(String.format(java.util.Locale.ROOT, "the %s kernel is not finite (entry %s) "
                        + "for inputs with entries up to %.3g: it overflows double precision; rescale the inputs "
                        + "(e.g. --normalize) and the kernel back", kind, v, largest));
            }
        }
    }
}
