package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.experiment.UniformWidth;
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;

/**
 * Deep against wide at matched parameter counts, the lecture's open question (width is what the NTK-based
 * guarantees pay in; depth is what practice uses): for each target count P and depth L, the uniform-width net
 * closest to P parameters ({@link UniformWidth}, as {@code overparam deep-vs-wide} sizes them) is trained by GD on
 * the same random regression labels until its training loss reaches ε, over several seeds. Measured: steps to ε
 * against P per depth, runs that do not reach ε drawn at the budget as lower bounds, and seed 0's loss curves at one
 * P.
 */
final class DeepWide implements Reproduction {
    private record Size(int n, int d, List<Integer> depths, List<Long> params, int seeds, long steps, long curveP) {
    }

    private static final Size QUICK = new Size(50, 10, List.of(1, 2, 4), List.of(120L, 1000L, 10000L), 2, 5000, 1000);
    private static final Size FULL = new Size(100, 10, List.of(1, 2, 3, 4), List.of(100L, 200L, 400L, 800L, 1600L,
            3200L, 6400L, 12800L), 3, 20000, 1600);

    static final double LR = 0.5;
    static final double EPS = 1e-3;

    /** One run: steps to ε (NaN: not reached within the budget). */
    record Cell(int depth, long target, int width, long parameters, int seed, double steps, double finalLoss) {
        boolean reached() {
            return !Double.isNaN(steps);
        }
    }

    @Override
    public String id() {
        return "deep-vs-wide";
    }

    @Override
    public String paper() {
        return "Deep against wide at equal parameter count (the lecture's open problem; the width demands of Du, Lee, "
                + "Li, Wang & Zhai 2019 and Allen-Zhu, Li & Song 2019 against depth in practice)";
    }

    @Override
    public String finding() {
        return "The convergence guarantees of GD (Du et al. 2019; Allen-Zhu et al. 2019) are bought with width: n "
                + "points are fit once every layer is polynomially wide in n, and depth only enters their bounds as a "
                + "cost (larger widths, smaller steps). No theorem says which of a deep-narrow and a shallow-wide net "
                + "with the same number of parameters GD fits faster; that is measured here.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %d points uniform on S^%d with N(0, 1) labels (random regression "
                + "targets: fitting them is pure memorization); fully connected relu nets with %s hidden layers of one "
                + "width each, the width solved for the parameter count nearest each target P = %s (with biases, as "
                + "overparam deep-vs-wide does; actual counts in the CSV); standard parameterization (PyTorch's "
                + "U(±1/√fan_in)), every layer trained; full-batch GD with η = %.1f for every depth on our mse "
                + "(1/(2n))Σ(f − y)², stopped at the first step with training loss ≤ ε = %.0e, at most T = %d steps "
                + "(a run that does not reach ε is drawn at T as a lower bound); %d initialization seeds per net "
                + "(mean ± sd where every seed reached ε); loss curves: seed 0 at P = %d", s.n(), s.d() - 1,
                s.depths(), s.params(), LR, EPS, s.steps(), s.seeds(), s.curveP());
    }

    @Override
    public String fullTime() {
        return "about 3 min on 2 cores";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        List<Cell> cells = new ArrayList<>();
        Map<Integer, double[][]> curves = new LinkedHashMap<>();
        Map<Integer, Integer> curveWidth = new LinkedHashMap<>();
        for (int depth : s.depths()) {
            for (long target : s.params()) {
                UniformWidth w = UniformWidth.forParameters(s.d(), 1, depth, target, true);
                for (int seed = 0; seed < s.seeds(); seed++) {
                    log.accept(String.format(Locale.ROOT, "%s: depth %d, width %d (%d parameters), seed %d", id(),
                            depth, w.width(), w.parameters(), seed));
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("dataset", "sphere:n=" + s.n() + ",d=" + s.d() + ",seed=1");
                    c.put("hidden", w.hidden(depth));
                    c.put("lr", LR);
                    c.put("steps", s.steps());
                    c.put("record_every", 100);
                    c.put("target_loss", EPS);
                    c.put("seed", (long) seed);
                    Runs.Run run = Runs.train(c, dir.resolve("runs").resolve("L" + depth + "-P" + target + "-seed"
                            + seed), threads);
                    Map<String, Object> sum = run.summary();
                    boolean ok = "completed".equals(sum.get("status")) && sum.get("steps_to_target") instanceof Number;
                    double steps = ok ? ((Number) sum.get("steps_to_target")).doubleValue() : Double.NaN;
                    double loss = sum.get("final_loss") instanceof Number v ? v.doubleValue() : Double.NaN;
                    cells.add(new Cell(depth, target, w.width(), ((Number) sum.get("parameters")).longValue(), seed,
                            steps, loss));
                    if (seed == 0 && target == s.curveP()) {
                        curves.put(depth, run.series("loss"));
                        curveWidth.put(depth, w.width());
                    }
                }
            }
        }
        try {
            return draw(dir, s, cells, curves, curveWidth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Outcome draw(Path dir, Size s, List<Cell> cells, Map<Integer, double[][]> curves,
            Map<Integer, Integer> curveWidth) throws IOException {
        String fixed = String.format(Locale.ROOT, "n=%d, d=%d, GD η=%.1f", s.n(), s.d(), LR);
        String over = s.seeds() == 1 ? "seed 0" : "mean ± sd, " + s.seeds() + " seeds";
        PaperChart a = PaperChart.of("Deep vs wide at matched parameters, " + fixed,
                "parameters P (weights and biases); L hidden layers", String.format(Locale.ROOT, "GD steps to "
                        + "loss ≤ %.0e (%s)", EPS, over)).logX().logY();
        List<double[]> table = new ArrayList<>(); // depth, target, width, parameters, reached, mean, sd
        for (int depth : s.depths()) {
            List<double[]> measured = new ArrayList<>();
            List<double[]> censored = new ArrayList<>();
            for (long target : s.params()) {
                List<Cell> at = cells.stream().filter(c -> c.depth() == depth && c.target() == target).toList();
                double[] st = at.stream().filter(Cell::reached).mapToDouble(Cell::steps).toArray();
                double p = at.get(0).parameters();
                boolean all = st.length == at.size();
                double mean = all ? DuFig1.mean(st) : Double.NaN;
                double sd = all ? DuFig1.sd(st) : Double.NaN;
                if (all) {
                    measured.add(new double[] {p, mean, sd});
                } else {
                    censored.add(new double[] {p, s.steps()});
                }
                table.add(new double[] {depth, target, at.get(0).width(), p, st.length, mean, sd,
                    at.stream().mapToDouble(Cell::finalLoss).max().orElse(Double.NaN)});
            }
            String name = "L=" + depth;
            a.add(name, col(measured, 0), col(measured, 1), s.seeds() > 1 ? col(measured, 2) : null,
                    PaperChart.Kind.MEASURED);
            if (!censored.isEmpty()) {
                // a seed that did not reach ε by T: the steps it needs exceed T
                a.addInColourOf(name, name + " >T", col(censored, 0), col(censored, 1), PaperChart.Kind.AT_LEAST);
            }
        }
        a.write(dir.resolve("deep-vs-wide-steps"));
        PaperChart b = PaperChart.of(String.format(Locale.ROOT, "Loss at P ≈ %d parameters, seed 0, %s",
                s.curveP(), fixed), "GD step k (each run stops at loss ≤ " + String.format(Locale.ROOT, "%.0e", EPS)
                + ")", "training loss (1/(2n))Σ(f − y)²").logY().integerX();
        List<String> header = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        int rows = curves.values().stream().mapToInt(c -> ZhangFig1.thin(c)[0].length).max().orElse(0);
        for (var e : curves.entrySet()) {
            double[][] t = ZhangFig1.thin(e.getValue());
            b.add("L = " + e.getKey() + ", width " + curveWidth.get(e.getKey()), t[0], t[1], PaperChart.Kind.CURVE);
            header.add("depth" + e.getKey() + "_step");
            header.add("depth" + e.getKey() + "_loss");
            cols.add(pad(t[0], rows));
            cols.add(pad(t[1], rows));
        }
        b.write(dir.resolve("deep-vs-wide-loss"));
        Runs.csv(dir.resolve("deep-vs-wide-loss.csv"), header, cols);
        Runs.csv(dir.resolve("deep-vs-wide-steps.csv"), List.of("depth", "target_parameters", "width", "parameters",
                "seeds_reached", "steps_mean", "steps_sd", "final_loss_max"), transpose(table, 8));
        Runs.csv(dir.resolve("deep-vs-wide-runs.csv"), List.of("depth", "target_parameters", "width", "parameters",
                "seed", "steps_to_eps", "final_loss"), List.of(cells.stream().mapToDouble(Cell::depth).toArray(),
                cells.stream().mapToDouble(Cell::target).toArray(), cells.stream().mapToDouble(Cell::width).toArray(),
                cells.stream().mapToDouble(Cell::parameters).toArray(), cells.stream().mapToDouble(Cell::seed).toArray(),
                cells.stream().mapToDouble(Cell::steps).toArray(), cells.stream().mapToDouble(Cell::finalLoss).toArray()));
        return new Outcome(List.of("deep-vs-wide-steps", "deep-vs-wide-loss"), List.of("deep-vs-wide-steps.csv",
                "deep-vs-wide-runs.csv", "deep-vs-wide-loss.csv"), comparison(s, cells));
    }

    static double[] col(List<double[]> rows, int i) {
        return rows.stream().mapToDouble(r -> r[i]).toArray();
    }

    static List<double[]> transpose(List<double[]> rows, int k) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(col(rows, i));
        }
        return out;
    }

    static double[] pad(double[] v, int len) {
        double[] out = new double[len];
        java.util.Arrays.fill(out, Double.NaN);
        System.arraycopy(v, 0, out, 0, v.length);
        return out;
    }

    /**
     * Per P: the depth that reached ε in the fewest steps (mean over seeds; a run that did not reach ε counts as
     * slower than any that did), and whether that is clear (every seed of it faster than every seed of every other
     * depth) or within the spread of the seeds; per depth, how the steps fall with P (log-log slope with interval).
     */
    static String comparison(Size s, List<Cell> cells) {
        StringBuilder b = new StringBuilder();
        List<String> per = new ArrayList<>();
        int clearShallow = 0;
        int clearDeep = 0;
        int unclear = 0;
        int none = 0;
        Map<Integer, Integer> fastest = new LinkedHashMap<>();
        for (long target : s.params()) {
            int best = -1;
            double bestMean = Double.POSITIVE_INFINITY;
            for (int depth : s.depths()) {
                double[] st = seeds(cells, depth, target);
                double m = java.util.Arrays.stream(st).anyMatch(Double::isInfinite) ? Double.POSITIVE_INFINITY
                        : DuFig1.mean(st);
                if (m < bestMean) {
                    bestMean = m;
                    best = depth;
                }
            }
            if (best < 0) {
                per.add(String.format(Locale.ROOT, "P ≈ %d: no depth reached ε with every seed", target));
                none++;
                continue;
            }
            fastest.merge(best, 1, Integer::sum);
            double slowestOfBest = java.util.Arrays.stream(seeds(cells, best, target)).max().orElse(Double.NaN);
            boolean clear = true;
            for (int depth : s.depths()) {
                if (depth != best && java.util.Arrays.stream(seeds(cells, depth, target)).min().orElse(0)
                        <= slowestOfBest) {
                    clear = false;
                }
            }
            if (!clear || s.seeds() == 1) {
                unclear++;
            } else if (best == s.depths().get(0)) {
                clearShallow++;
            } else {
                clearDeep++;
            }
            List<String> means = new ArrayList<>();
            for (int depth : s.depths()) {
                double[] st = seeds(cells, depth, target);
                means.add(java.util.Arrays.stream(st).anyMatch(Double::isInfinite) ? "L" + depth + " > T"
                        : String.format(Locale.ROOT, "L%d %.0f", depth, DuFig1.mean(st)));
            }
            per.add(String.format(Locale.ROOT, "P ≈ %d: %s (fastest %s%s)", target, String.join(", ", means),
                    "L" + best, s.seeds() == 1 ? "" : clear ? ", every seed" : ", within the seeds' spread"));
        }
        b.append("Mean steps to ε per depth L (").append(s.seeds()).append(" seeds): ").append(String.join("; ", per))
                .append(". Fastest by the mean: ");
        List<String> wins = new ArrayList<>();
        fastest.forEach((depth, times) -> wins.add(String.format(Locale.ROOT, "L%d at %d", depth, times)));
        b.append(String.join(", ", wins)).append(" of ").append(s.params().size()).append(" counts. ");
        List<String> slopes = new ArrayList<>();
        for (int depth : s.depths()) {
            List<double[]> pts = new ArrayList<>();
            for (long target : s.params()) {
                double[] st = seeds(cells, depth, target);
                if (java.util.Arrays.stream(st).noneMatch(Double::isInfinite)) {
                    pts.add(new double[] {cells.stream().filter(c -> c.depth() == depth && c.target() == target)
                        .findFirst().orElseThrow().parameters(), DuFig1.mean(st)});
                }
            }
            if (pts.size() < 3) {
                slopes.add("L" + depth + ": " + pts.size() + " counts reached ε, too few for an interval");
                continue;
            }
            LogLogFit f = LogLogFit.of(col(pts, 0), col(pts, 1), 0.95);
            slopes.add(String.format(Locale.ROOT, "L%d: %.2f [%.2f, %.2f]", depth, f.slope(), f.ciLow(), f.ciHigh()));
        }
        b.append("Log-log slope of steps against P where every seed reached ε (95% interval): ")
                .append(String.join("; ", slopes)).append(". ");
        int counts = s.params().size();
        if (s.seeds() == 1) {
            b.append("One seed: no statement beyond these numbers.");
        } else if (clearShallow == counts - none && clearShallow > 0) {
            b.append("Here the shallowest (widest) net reached ε first at every count where any did, every seed "
                    + "faster than every seed of the deeper nets: at equal parameters, width helped GD more than depth "
                    + "on this task, in line with the guarantees being stated in width (which do not predict it).");
        } else if (clearDeep == counts - none && clearDeep > 0) {
            b.append("Here a deeper net reached ε first at every count where any did, every seed faster: at equal "
                    + "parameters depth helped GD on this task, which the width-based guarantees do not predict.");
        } else {
            b.append(String.format(Locale.ROOT, "No depth was fastest throughout: the shallowest net clearly at %d, a "
                    + "deeper one clearly at %d, within the seeds' spread at %d of the %d counts%s. The measurement "
                    + "supports no general ordering of depth against width at equal parameters here.", clearShallow,
                    clearDeep, unclear, counts, none > 0 ? " (" + none + " with no depth reaching ε)" : ""));
        }
        return b.toString();
    }

    /** The seeds' steps to ε at one net, +∞ for a seed that did not reach it. */
    private static double[] seeds(List<Cell> cells, int depth, long target) {
        return cells.stream().filter(c -> c.depth() == depth && c.target() == target)
                .mapToDouble(c -> c.reached() ? c.steps() : Double.POSITIVE_INFINITY).toArray();
    }
}
