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
 * least eigenvalue of the Gram at initialization, the GD steps to fit and the width GD needs to fit, from the
 * depth-resnet check's measurements ({@link DepthResNet#measureAll}, {@link DepthResNet#widthsNeeded}), over
 * initialization seeds.
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
                + "= n/lambda_max(G(0)) until L <= 0.01 L(0), at most %d steps; width needed: the smallest width at which "
                + "that GD fits, searched over 1, 2, 4, ... up to m, then bisected to 25 %%; %d initialization seeds "
                + "(mean and sd; a seed that does not fit makes its depth a triangle at the limit)",
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
        double[][][] width = new double[2][k][s.seeds()];
        for (int seed = 0; seed < s.seeds(); seed++) {
            log.accept(id() + ": seed " + seed + ", depths " + s.depths());
            Setup setup = PresetSetups.wideNtk("relu", s.n(), s.d(), s.width(), 3);
            try {
                DepthResNet check = new DepthResNet(s.depths(), s.budget(), 1e-2, seed);
                List<List<DepthResNet.Point>> both = check.measureAll(setup);
                List<List<DepthResNet.Needed>> needed = check.widthsNeeded(setup);
                for (int f = 0; f < 2; f++) {
                    for (int i = 0; i < k; i++) {
                        DepthResNet.Point p = both.get(f).get(i);
                        lam[f][i][seed] = p.lambdaMinOverN();
                        steps[f][i][seed] = p.fit() ? p.steps() : Double.NaN;
                        DepthResNet.Needed w = needed.get(f).get(i);
                        width[f][i][seed] = w.found() ? w.width() : Double.NaN;
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
            PaperChart wc = PaperChart.of(String.format(Locale.ROOT, "Width GD needs to fit within %d steps, n=%d",
                    s.budget(), s.n()), "depth H", "smallest width that fits").logX().logY().integerX();
            List<double[]> cols = new ArrayList<>(List.of(h));
            List<String> header = new ArrayList<>(List.of("depth"));
            String[] tag = {"plain", "resnet"};
            for (int f = 0; f < 2; f++) {
                String name = names[f];
                family(lc, name, h, lam[f], s.seeds(), Double.NaN, "");
                family(sc, name, h, steps[f], s.seeds(), s.budget(), "not fit within " + s.budget() + " steps");
                family(wc, name, h, width[f], s.seeds(), s.width(), "not fit at width " + s.width());
                for (double[][] v : List.of(lam[f], steps[f], width[f])) {
                    cols.addAll(List.of(mean(v), sd(v)));
                }
                for (String q : List.of("lambda_min_over_n", "steps", "width_needed")) {
                    header.addAll(List.of(tag[f] + "_" + q + "_mean", tag[f] + "_" + q + "_sd"));
                }
            }
            double[] rw = mean(width[1]);
            if (!Double.isNaN(rw[0])) {
                double[] h2 = new double[k];
                for (int i = 0; i < k; i++) {
                    h2[i] = rw[0] * (h[i] / h[0]) * (h[i] / h[0]);
                }
                wc.add("H^2: shape of Theorem 6.1's bound, from the ResNet at H = " + s.depths().get(0)
                        + " (constant unstated)", h, h2, PaperChart.Kind.BOUND);
            }
            lc.write(dir.resolve("du2019-depth-lambda"));
            sc.write(dir.resolve("du2019-depth-steps"));
            wc.write(dir.resolve("du2019-depth-width"));
            Runs.csv(dir.resolve("du2019-depth.csv"), header, cols);
            double[] ps = mean(steps[0]);
            double[] rs = mean(steps[1]);
            String comparison = String.format(Locale.ROOT, "Mean GD steps at H = %s: plain %s, ResNet %s; "
                    + "lambda_min(G(0))/n: plain %s, ResNet %s; width needed: plain %s, ResNet %s. %s %s",
                    s.depths(), Trend.fmt(ps, "%.0f"), Trend.fmt(rs, "%.0f"), Trend.fmt(mean(lam[0]), "%.3g"),
                    Trend.fmt(mean(lam[1]), "%.3g"), widths(mean(width[0]), s.width()), widths(rw, s.width()),
                    verdict(ps, rs, s.depths()), widthVerdict(mean(width[0]), rw, s.depths(), s.width()));
            return new Outcome(List.of("du2019-depth-lambda", "du2019-depth-steps", "du2019-depth-width"),
                    List.of("du2019-depth.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One family's mean over seeds with its spread; where a seed's value is missing (not fit), an up triangle at
     * {@code limit}, what it needs exceeding it ({@code limit} NaN: nothing is censored).
     */
    private static void family(PaperChart c, String name, double[] h, double[][] v, int seeds, double limit,
            String censoredText) {
        double[] m = mean(v);
        double[] sd = sd(v);
        String label = name + ", " + Trend.spreadLabel(m, sd, seeds);
        c.add(label, h, m, Trend.logAxisBars(m, sd), PaperChart.Kind.MEASURED);
        double[] censored = new double[h.length];
        boolean any = false;
        for (int i = 0; i < h.length; i++) {
            censored[i] = Double.isNaN(m[i]) ? limit : Double.NaN;
            any |= Double.isNaN(m[i]) && !Double.isNaN(limit);
        }
        if (any) {
            c.addInColourOf(label, name + ": " + censoredText, h, censored, PaperChart.Kind.AT_LEAST);
        }
    }

    private static String widths(double[] w, int cap) {
        List<String> out = new ArrayList<>();
        for (double x : w) {
            out.add(Double.isNaN(x) ? ">" + cap : String.format(Locale.ROOT, "%.3g", x));
        }
        return String.join(", ", out);
    }

    /** The widths needed against the theorems' dependence on H, which bounds them from above and is not a prediction. */
    static String widthVerdict(double[] plain, double[] res, List<Integer> depths, int cap) {
        int last = res.length - 1;
        double h0 = depths.get(0);
        double hL = depths.get(last);
        if (Double.isNaN(res[0]) || Double.isNaN(res[last])) {
            return "The ResNet needed more than width " + cap + " at some depth.";
        }
        String resPart = String.format(Locale.ROOT, "From H = %d to %d the ResNet's width needed changed x%.2g, "
                + "within Theorem 6.1's H^2 = x%.3g", (int) h0, (int) hL, res[last] / res[0], hL * hL / (h0 * h0));
        String plainPart = Double.isNaN(plain[last]) ? "; the plain net's exceeded " + cap + " at H = " + (int) hL
                : Double.isNaN(plain[0]) ? "" : String.format(Locale.ROOT, "; the plain net's changed x%.2g",
                        plain[last] / plain[0]);
        return resPart + plainPart + " (both theorems' widths are upper bounds from the analysis).";
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
