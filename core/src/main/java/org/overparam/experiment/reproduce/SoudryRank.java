package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.overparam.data.Synthetic;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.report.PaperChart;
import org.overparam.theory.FullRankJacobian;

/**
 * Soudry &amp; Carmon 2016 (No bad local minima: data independent training error guarantees for multilayer neural
 * networks), their rank argument: for a leaky-ReLU net whose activation patterns are in general position, the
 * Jacobian of the n outputs in the first layer's weights has full rank n as soon as d0·d1 ≥ n, so rank J/n follows
 * min(1, d0·d1/n); a linear activation cannot pass rank X = d0. The ranks are the full-rank-jacobian check's
 * ({@link FullRankJacobian#phaseTransition}).
 */
final class SoudryRank implements Reproduction {
    private record Size(int n, int d0) {
    }

    private static final Size QUICK = new Size(60, 10);
    private static final Size FULL = new Size(200, 10);

    @Override
    public String id() {
        return "soudry2016";
    }

    @Override
    public String paper() {
        return "Soudry & Carmon (2016), No bad local minima: data independent training error guarantees for "
                + "multilayer neural networks, arXiv:1605.08361, Section 4 (rank of the Jacobian)";
    }

    @Override
    public String finding() {
        return "With leaky ReLU units in general position, the Jacobian of the n outputs in the first layer's "
                + "d0·d1 weights has full rank min(n, d0·d1), so every differentiable local minimum of the square "
                + "loss fits the data once d0·d1 ≥ n.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %d points uniform on S^%d; one hidden layer of width d1 = 1 … %d "
                + "(d0·d1/n up to 2), ntk parameterization without biases, seed 7; rank of J over the first layer's "
                + "weights by SVD with numpy's tolerance; leaky_relu:0.2 against linear", s.n(), s.d0() - 1,
                2 * s.n() / s.d0());
    }

    @Override
    public String fullTime() {
        return "about 1 s on 2 cores";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        int[] widths = IntStream.rangeClosed(1, 2 * s.n() / s.d0()).toArray();
        double[][] leaky;
        double[][] linear;
        try (Matrix x = Matrix.of(s.n(), s.d0(), Synthetic.sphere(s.n(), s.d0(), 1).data())) {
            log.accept(id() + ": ranks for leaky_relu:0.2");
            leaky = points(FullRankJacobian.phaseTransition(x, new Activations.LeakyRelu(0.2), widths, 7));
            log.accept(id() + ": ranks for linear");
            linear = points(FullRankJacobian.phaseTransition(x, Activations.LINEAR, widths, 7));
        }
        double[] theory = java.util.Arrays.stream(leaky[0]).map(v -> Math.min(1, v)).toArray();
        try {
            PaperChart.of(String.format(Locale.ROOT, "Rank of the first-layer Jacobian, n=%d, d0=%d", s.n(), s.d0()),
                    "d0·d1 / n (first-layer weights per point)", "rank J / n")
                    .add("min(1, d0·d1/n) (theory)", leaky[0], theory, PaperChart.Kind.PREDICTION)
                    .add("leaky_relu:0.2", leaky[0], leaky[1], PaperChart.Kind.POINTS)
                    .add("linear", linear[0], linear[1], PaperChart.Kind.POINTS)
                    .write(dir.resolve("soudry2016-rank"));
            double[] w = IntStream.of(widths).asDoubleStream().toArray();
            Runs.csv(dir.resolve("soudry2016-rank.csv"), List.of("d1", "d0_d1_over_n", "rank_over_n_leaky_relu",
                    "rank_over_n_linear"), List.of(w, leaky[0], leaky[1], linear[1]));
            int off = 0;
            for (int i = 0; i < theory.length; i++) {
                if (Math.abs(leaky[1][i] - theory[i]) > 1e-12) {
                    off++;
                }
            }
            double linearMax = java.util.Arrays.stream(linear[1]).max().orElse(0);
            String comparison = String.format(Locale.ROOT, "Leaky ReLU: rank J/n equals min(1, d0·d1/n) at %d of %d "
                    + "widths; linear: rank J/n stays at most %.3g = d0/n. %s", theory.length - off, theory.length,
                    linearMax, off == 0 && linearMax <= (double) s.d0() / s.n() + 1e-12
                            ? "As in the paper: full rank exactly where the weight count allows it, for leaky ReLU only."
                            : "Not exactly as in the paper: " + off + " widths fall short of min(1, d0·d1/n).");
            return new Outcome(List.of("soudry2016-rank"), List.of("soudry2016-rank.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[][] points(List<FullRankJacobian.Point> pts) {
        return new double[][] {pts.stream().mapToDouble(FullRankJacobian.Point::parametersOverN).toArray(),
            pts.stream().mapToDouble(FullRankJacobian.Point::rankOverN).toArray()};
    }
}
