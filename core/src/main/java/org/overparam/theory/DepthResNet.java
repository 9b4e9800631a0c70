package org.overparam.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Arch;
import org.overparam.nn.LayerNet;
import org.overparam.nn.Network;
import org.overparam.nn.Parameterization;
import org.overparam.nn.Shape;
import org.overparam.train.DivergenceException;
import org.overparam.train.Loss;
import org.overparam.train.StopRule;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Du, Lee, Li, Wang &amp; Zhai (ICML 2019), depth: GD on a deep net fits n points once the width m is polynomial in n,
 * but the width their analysis needs grows as 2^{O(H)} with the depth H for a plain fully connected net (Theorem 5.1)
 * and only as H² for the ResNet x_h = x_{h−1} + (c_res/(H·√m))·σ(W_h x_{h−1}) (Theorem 6.1), because the skip
 * keeps the least eigenvalue of the Gram at initialization and the perturbations bounded as layers are added.
 *
 * <p>Measured on the user's data and width m (the first layer's): both families at each depth H (plain
 * {@code dense:m,relu} ×H; ResNet {@code dense:m,relu} then (H−1)×{@code res:1/H[dense:m,relu]}; ntk
 * parameterization with σ_w = √2, c_σ = 2 of the paper, no biases, readout dense:1), λ_min of the empirical Gram
 * G(0) = J Jᵀ at initialization, and the GD steps to L ≤ ratio·L(0) with the step η = n/λ_max(G(0)) (half the
 * critical step of our mse). The conclusion (Theorem 6.1's) is observed when GD fits the ResNet at every depth, not
 * observed when it diverges there, undecided when the budget runs out first; the hypothesis includes the width with
 * the unstated constant set to 1, which small nets do not meet. The plain net is measured beside it: Theorem 5.1's
 * exponential width is an upper bound from the analysis, not a prediction that plain nets fail, so its steps are
 * reported, never turned into a verdict.
 *
 * <p>The width needed: for each family and depth, the smallest width at which the same GD fits within the same
 * budget, found by a {@link WidthSearch} over widths 1, 2, 4, … up to m and a bisection to {@value #WIDTH_RESOLUTION}
 * of it, at this seed (a width that does not fit by m reads "more than m"). Theorem 6.1 bounds the ResNet's by a
 * multiple of H²; Theorem 5.1's plain bound 2^{O(H)} hides a constant in the exponent, so no curve of it can be
 * drawn. Both are upper bounds from the analysis: a measured width that grows more slowly does not contradict them.
 */
public final class DepthResNet implements TheoremCheck {
    private final List<Integer> depths;
    private final long budget;
    private final double ratio;
    private final long seed;

    private static final String PLAIN = "plain (dense, relu) x H";
    private static final String RESNET = "ResNet (Du et al.: res:1/H)";

    /** The width search's bisection stops when its bracket is within this fraction of the width. */
    static final double WIDTH_RESOLUTION = 0.25;

    /**
     * @param depths the depths H measured (increasing)
     * @param budget GD steps at most per run
     * @param ratio  a run fits when L ≤ ratio·L(0)
     */
    public DepthResNet(List<Integer> depths, long budget, double ratio, long seed) {
        if (depths.size() < 2 || budget < 1 || !(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("need two depths or more, budget >= 1, 0 < ratio < 1");
        }
        this.depths = List.copyOf(depths);
        this.budget = budget;
        this.ratio = ratio;
        this.seed = seed;
    }

    public static DepthResNet forRun(CheckSettings s) {
        return new DepthResNet(List.of(1, 2, 4, 8, 16), s.steps(), 1e-2, s.seed());
    }

    public static DepthResNet presetDefault() {
        return new DepthResNet(List.of(1, 2, 4, 8, 16, 32), 3000, 1e-2, 0);
    }

    public static List<Preset> presets() {
        return List.of(new Preset("n=8 points on S^3, width 64, depths 1..32",
                () -> PresetSetups.wideNtk("relu", 8, 4, 64, 3)));
    }

    @Override
    public boolean generalNetworks() {
        return true; // it builds its own two families on the user's data and width
    }

    @Override
    public Map<String, Object> parameters() {
        return TheoremCheck.p("depths", depths, "step_budget", budget, "fit_ratio", ratio, "lr", "n/lambda_max(G(0))",
                "width_search", "1, 2, 4, ... up to the width m, then bisection to " + WIDTH_RESOLUTION + " m*");
    }

    @Override
    public String id() {
        return "depth-resnet";
    }

    @Override
    public String formula() {
        return "x_h = x_{h-1} + (c_res/(H sqrt{m})) sigma(W_h x_{h-1}),   m >= n^4 H^2/lambda^4";
    }

    @Override
    public String claim() {
        return "GD drives the square loss of a ResNet x_h = x_{h-1} + c_res/(H sqrt(m)) sigma(W_h x_{h-1}) to zero at a "
                + "linear rate once m >= n^4 H^2/lambda^4, polynomial in the depth H, where the analysis of a plain "
                + "fully connected net needs 2^O(H) n^4/lambda^4";
    }

    @Override
    public String paper() {
        return "Du, Lee, Li, Wang & Zhai (2019), Gradient descent finds global minima of deep neural networks, ICML, "
                + "Theorem 5.1 (fully connected: m = Omega(2^O(H) n^4/lambda_min(K^(H))^4)), Theorem 6.1 (ResNet: "
                + "m = Omega(n^4 H^2/lambda_min(K^(H))^4))";
    }

    /** One family at one depth: λ_min(G(0))/n, the steps to fit (−1 when not within the budget). */
    public record Point(int depth, double lambdaMinOverN, long steps, boolean diverged) {
        public boolean fit() {
            return steps >= 0;
        }
    }

    static Arch arch(boolean residual, int depth, int m) {
        StringBuilder b = new StringBuilder("dense:" + m + ",relu");
        for (int h = 1; h < depth; h++) {
            b.append(residual ? ",res:" + (1.0 / depth) + "[dense:" + m + ",relu]" : ",dense:" + m + ",relu");
        }
        return Arch.parse(b.append(",dense:1").toString());
    }

    Point measure(Setup s, boolean residual, int depth, int m) {
        LayerNet.Spec spec = new LayerNet.Spec(arch(residual, depth, m), Shape.flat(s.x().cols()),
                Parameterization.NTK, Math.sqrt(2), 0.0, false);
        int n = s.n();
        try (LayerNet net = LayerNet.initialize(spec, seed);
                Matrix g = EmpiricalNtk.compute(net, s.x(), null, OutputMode.FULL)) {
            double[] ev = Lapack.symmetricEigenvalues(g);
            double lmin = Double.POSITIVE_INFINITY;
            double lmax = 0;
            for (double v : ev) {
                lmin = Math.min(lmin, v);
                lmax = Math.max(lmax, v);
            }
            if (!(lmax > 0) || !Double.isFinite(lmax)) {
                return new Point(depth, lmin / n, -1, false); // a Gram of zero (every unit dead): GD cannot move
            }
            double eta = n / lmax;
            double l0 = Objective.loss(net, s.x(), s.y(), Loss.MSE);
            long[] reached = {-1};
            try {
                new Trainer(net, s.x(), s.y(), TrainSpec.gd(Loss.MSE, eta, budget, 0))
                        .stopWhen(new StopRule(ratio * l0, false)).observe((r, w) -> {
                            if (reached[0] < 0 && r.loss() <= ratio * l0) {
                                reached[0] = r.step();
                            }
                        }).run();
            } catch (DivergenceException e) {
                return new Point(depth, lmin / n, -1, true);
            }
            return new Point(depth, lmin / n, reached[0], false);
        }
    }

    /** Both families at every depth: {plain, ResNet}, each in the order of the depths. */
    public List<List<Point>> measureAll(Setup s) {
        return bothFamilies(s, (residual, h, m) -> measure(s, residual, h, m));
    }

    /** One measurement of one family at one depth, at the setup's width m. */
    private interface PerDepth<T> {
        T at(boolean residual, int depth, int m);
    }

    private <T> List<List<T>> bothFamilies(Setup s, PerDepth<T> f) {
        int m = width(s);
        List<T> plain = new ArrayList<>();
        List<T> res = new ArrayList<>();
        for (int h : depths) {
            plain.add(f.at(false, h, m));
            res.add(f.at(true, h, m));
        }
        return List.of(plain, res);
    }

    /**
     * The width GD needs at one depth: the search's smallest width that fits ({@code width}, -1 when none up to
     * the cap did) and the largest width below it that did not ({@code lastFailure}, 0 when it is width 1).
     */
    public record Needed(int depth, int width, int lastFailure) {
        public boolean found() {
            return width > 0;
        }
    }

    Needed widthNeeded(Setup s, boolean residual, int depth, int cap) {
        WidthSearch search = new WidthSearch(1, 2, cap, WIDTH_RESOLUTION);
        for (OptionalInt m = search.next(); m.isPresent(); m = search.next()) {
            boolean fit = measure(s, residual, depth, m.getAsInt()).fit();
            search.record(new WidthSearch.Probe(m.getAsInt(), fit ? 1 : 0, 1, fit));
        }
        return new Needed(depth, search.minimalWidth().orElse(-1), search.lastFailure().orElse(0));
    }

    /** The width needed by both families at every depth, searched up to the setup's width: {plain, ResNet}. */
    public List<List<Needed>> widthsNeeded(Setup s) {
        return bothFamilies(s, (residual, h, m) -> widthNeeded(s, residual, h, m));
    }

    static int width(Setup s) {
        if (s.net() instanceof Network n) {
            return n.layers() > 1 ? n.widths()[1] : 64;
        }
        LayerNet l = (LayerNet) s.net();
        return l.layers() > 1 ? l.weightShape(0)[0] : 64;
    }

    @Override
    public CheckResult run(Setup s) {
        Map<String, Double> m = new LinkedHashMap<>();
        String boundText = "width needed: plain 2^O(H) n^4/lambda^4, ResNet n^4 H^2/lambda^4 (constants unstated)";
        if (s.loss() != Loss.MSE || s.k() != 1) {
            return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis("mse with one output", false), m,
                    new CheckResult.Bound(boundText, Double.NaN), Conclusion.UNDECIDED, "the theorems are stated for "
                            + "the square loss with one output");
        }
        double worstNorm = 0;
        for (int i = 0; i < s.n(); i++) {
            double sq = 0;
            for (double v : s.x().row(i)) {
                sq += v * v;
            }
            worstNorm = Math.max(worstNorm, Math.abs(Math.sqrt(sq) - 1));
        }
        List<List<Point>> both = measureAll(s);
        List<Point> plain = both.get(0);
        List<Point> res = both.get(1);
        List<List<Needed>> needed = widthsNeeded(s);
        boolean positive = true;
        for (List<Point> f : both) {
            for (Point p : f) {
                positive &= p.lambdaMinOverN() > 0;
            }
        }
        m.put("width", (double) width(s));
        for (int i = 0; i < depths.size(); i++) {
            int h = depths.get(i);
            m.put("plain_H" + h + "_lambda_min_over_n", plain.get(i).lambdaMinOverN());
            m.put("resnet_H" + h + "_lambda_min_over_n", res.get(i).lambdaMinOverN());
            m.put("plain_H" + h + "_steps", (double) plain.get(i).steps());
            m.put("resnet_H" + h + "_steps", (double) res.get(i).steps());
            m.put("plain_H" + h + "_width_needed", (double) needed.get(0).get(i).width());
            m.put("resnet_H" + h + "_width_needed", (double) needed.get(1).get(i).width());
        }
        int hMax = depths.get(depths.size() - 1);
        Point r0 = res.get(0);
        Point rL = res.get(res.size() - 1);
        Point p0 = plain.get(0);
        Point pL = plain.get(plain.size() - 1);
        // Theorem 6.1's width with its unstated constant set to 1, at the deepest ResNet: n^4 H^2 / lambda^4
        double lambda = rL.lambdaMinOverN() * s.n();
        double required = Math.pow(s.n(), 4) * hMax * hMax / Math.pow(lambda, 4);
        m.put("resnet_width_required_constant_1", required);
        boolean met = worstNorm < 1e-6 && positive && width(s) >= required;
        CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(String.format(Locale.ROOT, "inputs on the unit sphere "
                + "(max | ||x|| - 1 | = %.2g), lambda_min(G(0)) > 0 at every depth (Assumption 5.1), and width m = %d "
                + ">= n^4 H^2/lambda^4 = %.3g at H = %d (Theorem 6.1, constant set to 1)", worstNorm, width(s),
                required, hMax), met);
        String table = table(plain, res) + "; " + neededText(needed, width(s));
        String growth = p0.fit() && pL.fit() && r0.fit() && rL.fit() ? String.format(Locale.ROOT, "from H = %d to %d "
                + "the plain net's steps grow x%.3g, the ResNet's x%.3g", depths.get(0), hMax,
                (double) pL.steps() / Math.max(1, p0.steps()), (double) rL.steps() / Math.max(1, r0.steps()))
                : "the plain net " + (pL.fit() ? "fits" : "does not fit") + " at H = " + hMax;
        if (res.stream().anyMatch(Point::diverged)) {
            return new CheckResult(id(), claim(), paper(), hyp, m, new CheckResult.Bound(boundText, required),
                    Conclusion.NOT_OBSERVED, "GD diverged on the ResNet at eta = n/lambda_max: " + table);
        }
        if (!res.stream().allMatch(Point::fit)) {
            return new CheckResult(id(), claim(), paper(), hyp, m, new CheckResult.Bound(boundText, required),
                    Conclusion.UNDECIDED, "the budget of " + budget + " steps is too short to fit the ResNet at every "
                            + "depth; give more --steps (" + table + ")");
        }
        // Theorem 6.1's conclusion: GD fits the ResNet at every depth; the plain net beside it is a measurement, not a
        // claim (Theorem 5.1's exponential width is an upper bound, not a prediction that plain nets fail)
        return new CheckResult(id(), claim(), paper(), hyp, m, new CheckResult.Bound(boundText, required),
                Conclusion.OBSERVED, "GD fits the ResNet at every depth H <= " + hMax + " at width " + width(s) + "; "
                        + growth + ": " + table);
    }

    private String table(List<Point> plain, List<Point> res) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < depths.size(); i++) {
            parts.add(String.format(Locale.ROOT, "H=%d plain %s/lambda %.3g, resnet %s/lambda %.3g", depths.get(i),
                    steps(plain.get(i)), plain.get(i).lambdaMinOverN(), steps(res.get(i)), res.get(i).lambdaMinOverN()));
        }
        return String.join("; ", parts);
    }

    /** The widths needed, as measured, beside the growth of Theorem 6.1's bound (H²) over the same depths. */
    private String neededText(List<List<Needed>> needed, int cap) {
        List<String> parts = new ArrayList<>();
        String[] fam = {"plain", "resnet"};
        for (int f = 0; f < 2; f++) {
            List<String> w = new ArrayList<>();
            for (Needed x : needed.get(f)) {
                w.add(x.found() ? String.valueOf(x.width()) : ">" + cap);
            }
            parts.add(fam[f] + " " + String.join(", ", w));
        }
        int h0 = depths.get(0);
        int hL = depths.get(depths.size() - 1);
        Needed r0 = needed.get(1).get(0);
        Needed rL = needed.get(1).get(depths.size() - 1);
        String growth = r0.found() && rL.found() ? String.format(Locale.ROOT, "; from H = %d to %d the ResNet's grew "
                + "x%.3g, Theorem 6.1's bound x%.3g (H^2, an upper bound)", h0, hL, (double) rL.width() / r0.width(),
                (double) hL * hL / ((double) h0 * h0)) : "";
        return "width needed to fit within " + budget + " steps at H = " + depths + ": " + String.join("; ", parts)
                + growth;
    }

    private String steps(Point p) {
        return p.fit() ? p.steps() + " steps" : ">" + budget + " steps";
    }

    @Override
    public List<Figure> figures(CheckResult r, Setup s) {
        double[] h = depths.stream().mapToDouble(Integer::doubleValue).toArray();
        double[][] lam = new double[2][h.length];
        double[][] st = new double[2][h.length];
        double[][] stMore = new double[2][h.length];
        double[][] wd = new double[2][h.length];
        double[][] wdMore = new double[2][h.length];
        String[] fam = {"plain", "resnet"};
        double cap = r.get("width");
        for (int f = 0; f < 2; f++) {
            for (int i = 0; i < h.length; i++) {
                String key = fam[f] + "_H" + depths.get(i);
                lam[f][i] = r.get(key + "_lambda_min_over_n");
                double v = r.get(key + "_steps");
                st[f][i] = v < 0 ? Double.NaN : v;
                stMore[f][i] = v < 0 ? budget : Double.NaN;
                double w = r.get(key + "_width_needed");
                wd[f][i] = w < 0 ? Double.NaN : w;
                wdMore[f][i] = w < 0 ? cap : Double.NaN;
            }
        }
        // Theorem 6.1's H^2, anchored at the ResNet's width at the first depth: the bound's shape, constant unstated
        double[] h2 = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            h2[i] = wd[1][0] * (h[i] / h[0]) * (h[i] / h[0]);
        }
        Figure lambda = Figure.builder("Least eigenvalue of the Gram at init, width " + (int) r.get("width"),
                "depth H", "lambda_min(J J^T)/n").logX().logY().series(PLAIN, h, lam[0])
                .series(RESNET, h, lam[1]).build();
        Figure steps = Figure.builder("GD steps to L <= " + ratio + " L(0), eta = n/lambda_max", "depth H", "steps")
                .logX().logY().series(PLAIN, h, st[0]).series(RESNET, h, st[1])
                .atLeast(PLAIN, "plain: not within " + budget + " steps", h, stMore[0])
                .atLeast(RESNET, "ResNet: not within " + budget + " steps", h, stMore[1]).build();
        Figure.Builder widths = Figure.builder("Width GD needs to fit within " + budget + " steps", "depth H",
                "smallest width that fits").logX().logY().series(PLAIN, h, wd[0])
                .series(RESNET, h, wd[1])
                .atLeast(PLAIN, "plain: not fit at width " + (int) cap, h, wdMore[0])
                .atLeast(RESNET, "ResNet: not fit at width " + (int) cap, h, wdMore[1]);
        if (!Double.isNaN(wd[1][0])) {
            widths.bound("H^2: shape of Theorem 6.1's bound (constant unstated)", h, h2);
        }
        return List.of(lambda, steps, widths.build());
    }
}
