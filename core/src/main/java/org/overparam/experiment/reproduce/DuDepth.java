package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.overparam.report.PaperChart;
import org.overparam.theory.DepthResNet;
import org.overparam.theory.PresetSetups;
import org.overparam.theory.Setup;

/**
 * Du, Lee, Li, Wang &amp; Zhai (ICML 2019), plain deep nets against ResNets as the depth H grows at a fixed width: the
 * least eigenvalue of the Gram at initialization and the GD steps to fit, from the depth-resnet check's measurement
 * ({@link DepthResNet#measureAll}), over initialization seeds.
 */
final class DuDepth implements Reproduction {
    private record Size(int n, int d, int width, List<Integer> depths, long budget, int seeds) {
    }

    private static final Size QUICK = new Size(8, 4, 64, List.of(1, 2, 4, 8, 16), 2000, 2);
    private static final Size FULL = new Size(16, 8, 128, List.of(1, 2, 4, 8, 16, 32, 64), 10000, 3);

    @Override
    public String id() {
        return "du2019-depth";
    }

    @Override
    public String paper() {
        return "Du, Lee, Li, Wang & Zhai (2019), Gradient descent finds global minima of deep neural networks, ICML, "
                + "Theorems 5.1 (fully connected) and 6.1 (ResNet)";
    }

    @Override
    public String finding() {
        return "GD fits n points at a width polynomial in n; the width their analysis needs grows like 2^O(H) with the "
                + "depth H for a plain fully connected net and only like H^2 for a ResNet whose blocks are scaled by "
                + "1/H, because the skips keep the Gram at initialization well conditioned as layers are added.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %d points uniform on S^%d with N(0, 1) labels; width m = %d; depths H = "
                + "%s; plain: dense:m,relu repeated H times; ResNet: dense:m,relu then H-1 blocks res:1/H[dense:m,relu]; "
                + "both ntk parameterization with sigma_w = sqrt(2), no biases, readout dense:1; GD on our mse with eta "
                + "= n/lambda_max(G(0)) until L <= 0.01 L(0), at most %d steps; %d initialization seeds (mean and sd)",
                s.n(), s.d() - 1, s.width(), s.depths(), s.budget(), s.seeds());
    }

    @Override
    public String fullTime() {
        return "about 3 min on 2 cores";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        int k = s.depths().size();
        double[][][] lam = new double[2][k][s.seeds()];
        double[][][] steps = new double[2][k][s.seeds()];
        for (int seed = 0; seed < s.seeds(); seed++) {
            log.accept(id() + ": seed " + seed + ", depths " + s.depths());
            Setup setup = PresetSetups.wideNtk("relu", s.n(), s.d(), s.width(), 3);
            try {
                List<List<DepthResNet.Point>> both = new DepthResNet(s.depths(), s.budget(), 1e-2, seed)
                        .measureAll(setup);
                for (int f = 0; f < 2; f++) {
                    for (int i = 0; i < k; i++) {
                        DepthResNet.Point p = both.get(f).get(i);
                        lam[f][i][seed] = p.lambdaMinOverN();
                        steps[f][i][seed] = p.fit() ? p.steps() : Double.NaN;
                    }
                }
            } finally {
                setup.net().close();
            }
        }
        double[] h = s.depths().stream().mapToDouble(Integer::doubleValue).toArray();
        String fixed = String.format(Locale.ROOT, "n=%d, m=%d", s.n(), s.width());
        String[] names = {"plain net", "ResNet (blocks x 1/H)"};
        try {
            PaperChart lc = PaperChart.of("Least eigenvalue of the Gram at init, " + fixed, "depth H",
                    "lambda_min(J J^T)/n at initialization").logX().logY().integerX();
            PaperChart sc = PaperChart.of("GD steps to L <= 0.01 L(0), " + fixed, "depth H",
                    "GD steps (eta = n/lambda_max)").logX().logY().integerX();
            List<double[]> cols = new ArrayList<>(List.of(h));
            List<String> header = new ArrayList<>(List.of("depth"));
            String[] tag = {"plain", "resnet"};
            for (int f = 0; f < 2; f++) {
                double[] lm = mean(lam[f]);
                double[] ls = sd(lam[f]);
                double[] sm = mean(steps[f]);
                double[] ss = sd(steps[f]);
                lc.add(names[f] + ", " + Trend.spreadLabel(lm, ls, s.seeds()), h, lm, Trend.logAxisBars(lm, ls),
                        PaperChart.Kind.MEASURED);
                sc.add(names[f] + ", " + Trend.spreadLabel(sm, ss, s.seeds()), h, sm, Trend.logAxisBars(sm, ss),
                        PaperChart.Kind.MEASURED);
                double[] censored = new double[k];
                boolean any = false;
                for (int i = 0; i < k; i++) {
                    censored[i] = Double.isNaN(sm[i]) ? s.budget() : Double.NaN;
                    any |= Double.isNaN(sm[i]);
                }
                if (any) {
                    sc.add(names[f] + ": not fit within " + s.budget() + " steps", h, censored,
                            PaperChart.Kind.CENSORED);
                }
                cols.addAll(List.of(lm, ls, sm, ss));
                header.addAll(List.of(tag[f] + "_lambda_min_over_n_mean", tag[f] + "_lambda_min_over_n_sd",
                        tag[f] + "_steps_mean", tag[f] + "_steps_sd"));
            }
            lc.write(dir.resolve("du2019-depth-lambda"));
            sc.write(dir.resolve("du2019-depth-steps"));
            Runs.csv(dir.resolve("du2019-depth.csv"), header, cols);
            double[] ps = mean(steps[0]);
            double[] rs = mean(steps[1]);
            String comparison = String.format(Locale.ROOT, "Mean GD steps at H = %s: plain %s, ResNet %s; "
                    + "lambda_min(G(0))/n: plain %s, ResNet %s. %s", s.depths(), Trend.fmt(ps, "%.0f"),
                    Trend.fmt(rs, "%.0f"), Trend.fmt(mean(lam[0]), "%.3g"), Trend.fmt(mean(lam[1]), "%.3g"),
                    verdict(ps, rs, s.depths()));
            return new Outcome(List.of("du2019-depth-lambda", "du2019-depth-steps"), List.of("du2019-depth.csv"),
                    comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the points say, no more: whether both fit everywhere and which grew more from the first depth to the last. */
    static String verdict(double[] plain, double[] res, List<Integer> depths) {
        int last = plain.length - 1;
        if (Double.isNaN(res[last]) || Double.isNaN(res[0])) {
            return "The ResNet did not fit at every depth within the budget, unlike the theorem's conclusion at its "
                    + "(much larger) width.";
        }
        if (Double.isNaN(plain[last])) {
            return "At H = " + depths.get(last) + " the plain net no longer fits within the budget while the ResNet "
                    + "does: the contrast the theorems' widths describe.";
        }
        double pg = plain[last] / plain[0];
        double rg = res[last] / res[0];
        return String.format(Locale.ROOT, "Both fit at every depth at this width (far below either theorem's width); "
                + "from H = %d to %d the plain net's step count grew x%.2g and the ResNet's x%.2g%s", depths.get(0),
                depths.get(last), pg, rg, pg > rg ? ", so the plain net slowed more with depth, the direction of the "
                        + "theorems' contrast (their widths are upper bounds, not predictions of step counts)."
                        : ": at these depths the plain net did not slow down more than the ResNet; the theorems' "
                        + "exponential width is an upper bound from the analysis, which this does not contradict.");
    }

    private static double[] mean(double[][] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            int c = 0;
            for (double x : v[i]) {
                if (!Double.isNaN(x)) {
                    s += x;
                    c++;
                }
            }
            out[i] = c == v[i].length ? s / c : Double.NaN; // a seed that did not fit: the mean is censored
        }
        return out;
    }

    private static double[] sd(double[][] v) {
        double[] m = mean(v);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(m[i]) || v[i].length < 2) {
                out[i] = Double.NaN;
                continue;
            }
            double s = 0;
            for (double x : v[i]) {
                s += (x - m[i]) * (x - m[i]);
            }
            out[i] = Math.sqrt(s / (v[i].length - 1));
        }
        return out;
    }
}
