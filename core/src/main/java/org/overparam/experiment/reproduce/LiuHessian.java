package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.overparam.data.Synthetic;
import org.overparam.kernel.InfiniteWidthKernel;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lanczos;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;
import org.overparam.theory.OutputHessian;

/**
 * Liu, Zhu &amp; Belkin, NeurIPS 2020: in the NTK parameterization the spectral norm of the Hessian of the network's
 * output (not the loss) in the weights is Õ(1/√m) at initialization, while the gradient ‖∇_w f‖ — whose square is
 * the tangent kernel's diagonal K(x, x) — stays Θ(1); so in a ball of fixed radius the model is linear and the
 * tangent kernel constant as m → ∞. Measured with {@link OutputHessian} (exact Hessian-vector products, Lanczos from
 * both ends of the spectrum) at a few inputs, over initialization seeds.
 */
final class LiuHessian implements Reproduction {
    private record Size(List<Integer> widths, int inputs, int seeds) {
    }

    private static final Size QUICK = new Size(List.of(64, 128, 256, 512), 2, 3);
    private static final Size FULL = new Size(List.of(64, 128, 256, 512, 1024, 2048), 2, 3);

    /** Input dimension; the inputs are uniform on the unit sphere S^{d−1}. */
    static final int D = 10;
    /** Lanczos: stop when the eigenvalue error bound min(ρ, ρ²/gap) is below this fraction of |θ|. */
    static final double TOLERANCE = 1e-3;
    /** Lanczos steps per end of the spectrum at most. */
    static final int MAX_STEPS = 40;

    @Override
    public String id() {
        return "liu2020-hessian";
    }

    @Override
    public String paper() {
        return "Liu, Zhu & Belkin (2020), On the linearity of large non-linear models: when and why the tangent kernel "
                + "is constant, NeurIPS (Hessian scaling, Theorem 3.2)";
    }

    @Override
    public String finding() {
        return "For networks with a linear output layer in the NTK parameterization the spectral norm of the Hessian of "
                + "the output in the weights is Õ(1/√m) in the width m, while the gradient's norm (the tangent kernel) "
                + "stays of order one; hence the model is linear in a ball of fixed radius and the tangent kernel is "
                + "constant as m → ∞.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "%d inputs uniform on S^%d; two hidden tanh layers of width m = %s, one "
                + "output, ntk parameterization (σ_w = 1, σ_b = 0.1, biases), every layer counted; at initialization, "
                + "for each input x: ‖∇²_w f(x)‖₂ = max(λmax, −λmin) by Lanczos on exact Hessian-vector products "
                + "(R-operator; stopped at an eigenvalue error bound min(ρ, ρ²/gap) ≤ %.0e relative, at most %d steps "
                + "per end) and ‖∇_w f(x)‖² = K(x, x); mean over the inputs per seed, then mean ± sd over %d "
                + "initialization seeds; reference: the infinite-width NTK Θ∞(x, x) of the same architecture",
                s.inputs(), D - 1,
                s.widths(), TOLERANCE, MAX_STEPS, s.seeds());
    }

    @Override
    public String fullTime() {
        return "16 min measured on 2 cores shared with other runs (load about 9); about 2 to 3 min alone, from per-width timings";
    }

    /** Two hidden tanh layers of width m, one output, ntk parameterization with σ_w = 1, σ_b = 0.1. */
    static NetworkSpec spec(int m) {
        return NetworkSpec.ntk(D, new int[] {m, m}, 1, Activations.TANH, 1.0, 0.1, true);
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        int k = s.widths().size();
        double[][] hessBySeed = new double[k][s.seeds()];
        double[][] gradBySeed = new double[k][s.seeds()];
        double[] worstResidual = new double[k];
        double[] limit = new double[1]; // Θ∞(x, x), mean over the inputs
        int blas = Blas.threads();
        int pool = Parallel.threads();
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        try (Matrix x = Matrix.of(s.inputs(), D, Synthetic.sphere(s.inputs(), D, 1).data())) {
            try (Matrix theta = InfiniteWidthKernel.of(spec(s.widths().get(0))).ntk(x)) {
                for (int i = 0; i < s.inputs(); i++) {
                    limit[0] += theta.get(i, i) / s.inputs();
                }
            }
            for (int wi = 0; wi < k; wi++) {
                int m = s.widths().get(wi);
                log.accept(id() + ": width " + m);
                NetworkSpec spec = spec(m);
                for (int seed = 0; seed < s.seeds(); seed++) {
                    try (Network net = Network.initialize(spec, seed)) {
                        double h = 0;
                        double g = 0;
                        for (int i = 0; i < s.inputs(); i++) {
                            Matrix xi = x.rowBlock(i, i + 1);
                            OutputHessian.Norm n = OutputHessian.spectralNorm(net, xi, 0, Lanczos.Criterion.VALUE, TOLERANCE, MAX_STEPS,
                                    1000L * seed + i);
                            h += n.norm() / s.inputs();
                            g += OutputHessian.gradientNormSq(net, xi, 0) / s.inputs();
                            worstResidual[wi] = Math.max(worstResidual[wi], n.errorBound() / n.norm());
                        }
                        hessBySeed[wi][seed] = h;
                        gradBySeed[wi][seed] = g;
                    }
                }
            }
        } finally {
            Blas.setThreads(blas);
            Parallel.setThreads(pool);
        }
        double[] widths = s.widths().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] hess = Arrays.stream(hessBySeed).mapToDouble(DuFig1::mean).toArray();
        double[] hessSd = Arrays.stream(hessBySeed).mapToDouble(DuFig1::sd).toArray();
        double[] grad = Arrays.stream(gradBySeed).mapToDouble(DuFig1::mean).toArray();
        double[] gradSd = Arrays.stream(gradBySeed).mapToDouble(DuFig1::sd).toArray();
        LogLogFit hessFit = LogLogFit.of(widths, hess, 0.95);
        LogLogFit gradFit = LogLogFit.of(widths, grad, 0.95);
        String fixed = String.format(Locale.ROOT, "tanh, 2 hidden layers, d=%d, ntk, at init", D);
        String bars = "mean ± sd over " + s.seeds() + " seeds";
        log.accept(id() + ": figures");
        try {
            PaperChart.of("Hessian of the output, " + fixed, "width m (both hidden layers)",
                    "||∇²_w f(x)||₂ (spectral norm)").logX().logY()
                    .add(bars, widths, hess, hessSd, PaperChart.Kind.MEASURED)
                    .add(hessFit.legend("m"), widths,
                            Arrays.stream(widths).map(hessFit::predict).toArray(), PaperChart.Kind.PREDICTION)
                    .add("1/√m (theory, through the first point)", widths,
                            Arrays.stream(widths).map(w -> hess[0] * Math.sqrt(widths[0] / w)).toArray(),
                            PaperChart.Kind.PREDICTION)
                    .write(dir.resolve("liu2020-hessian-norm"));
            PaperChart.of("Tangent kernel diagonal, " + fixed, "width m (both hidden layers)",
                    "K(x, x) = ||∇_w f(x)||²").logX()
                    .add(bars, widths, grad, gradSd, PaperChart.Kind.MEASURED)
                    .add("infinite-width NTK Θ∞(x, x) (theory)", widths,
                            Arrays.stream(widths).map(w -> limit[0]).toArray(), PaperChart.Kind.PREDICTION)
                    .write(dir.resolve("liu2020-tangent-kernel"));
            Runs.csv(dir.resolve("liu2020-hessian.csv"), List.of("width", "hessian_norm_mean", "hessian_norm_sd",
                    "grad_norm_sq_mean", "grad_norm_sq_sd", "lanczos_relative_error_bound_max"),
                    List.of(widths, hess, hessSd, grad, gradSd, worstResidual));
            double spread = Arrays.stream(grad).max().orElse(0) / Arrays.stream(grad).min().orElse(1);
            String comparison = String.format(Locale.ROOT, "||∇²f||₂ (mean over %d seeds): %s for m = %s, down by a "
                    + "factor %.1f; fitted slope against m %s (the theory: -1/2 up to log factors). ||∇f||² = K(x, x): "
                    + "%s, largest/smallest %.2f, against the infinite-width NTK's Θ∞(x, x) = %.3g (%.1f%% off at "
                    + "m = %d); fitted slope %s. Largest Lanczos error bound, relative: %.1e. %s",
                    s.seeds(), Trend.fmt(hess, "%.3g"), s.widths(), hess[0] / hess[k - 1], Trend.slope(hessFit),
                    Trend.fmt(grad, "%.3g"), spread, limit[0], 100 * Math.abs(grad[k - 1] - limit[0]) / limit[0],
                    s.widths().get(k - 1), Trend.slope(gradFit),
                    Arrays.stream(worstResidual).max().orElse(0), verdict(hessFit, spread));
            return new Outcome(List.of("liu2020-hessian-norm", "liu2020-tangent-kernel"),
                    List.of("liu2020-hessian.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How far the tangent kernel's diagonal may vary over the widths (largest/smallest) and still be "of order one". */
    static final double KERNEL_SPREAD = 1.5;

    /** As in the paper when the Hessian's slope interval lies below 0 and the kernel varies by at most 1.5×. */
    static String verdict(LogLogFit hessian, double kernelSpread) {
        if (!Trend.hasInterval(hessian)) {
            return Trend.TOO_FEW;
        }
        boolean shrinks = Trend.shrinks(hessian);
        boolean flat = kernelSpread <= KERNEL_SPREAD;
        if (shrinks && flat) {
            return "As in the paper: the Hessian's norm shrinks with width while the tangent kernel varies by at most "
                    + KERNEL_SPREAD + "×" + (hessian.covers(-0.5) ? "; the slope's interval contains -1/2."
                            : "; the slope's interval does not contain -1/2 (finite widths; the theory allows log factors).");
        }
        return "Not as in the paper: " + (shrinks ? "" : "the Hessian's slope interval does not lie below 0; ")
                + (flat ? "" : "the tangent kernel varies by more than " + KERNEL_SPREAD + "× over the widths; ")
                + "more widths or seeds may be needed.";
    }
}
