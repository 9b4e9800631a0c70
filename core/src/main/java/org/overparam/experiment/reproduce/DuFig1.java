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
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;

/**
 * Du, Zhai, Póczos &amp; Singh, ICLR 2019, Figure 1: GD on f(x) = (1/√m)Σ_r a_r relu(w_rᵀx) (first layer trained,
 * a_r = ±1 fixed) over points on the unit sphere converges linearly for every width, and the wider the net the less
 * it moves: the fraction of activation patterns that change and max_r ‖w_r(t) − w_r(0)‖ both shrink with m, like
 * 1/√m by their Lemma 3.2 / Theorem 3.2 (R' ∝ 1/√m). Measured with {@code train --track neurons,patterns}.
 */
final class DuFig1 implements Reproduction {
    private record Size(int n, int d, List<Integer> widths, long steps, int recordEvery) {
    }

    private static final Size QUICK = new Size(50, 20, List.of(128, 512, 2048), 300, 10);
    private static final Size FULL = new Size(200, 50, List.of(256, 1024, 4096, 16384), 1000, 20);

    @Override
    public String id() {
        return "du2019-fig1";
    }

    @Override
    public String paper() {
        return "Du, Zhai, Póczos & Singh (2019), Gradient descent provably optimizes over-parameterized neural networks, "
                + "ICLR, Figure 1";
    }

    @Override
    public String finding() {
        return "The training loss falls linearly (a straight line on a log scale) for every width; the fraction of "
                + "activation patterns that change and the largest distance a neuron moves both decrease as the width "
                + "grows (the analysis bounds the movement by R' ∝ 1/√m).";
    }

    /** Initializations per width: the spread over seeds is drawn as error bars. */
    static final int SEEDS = 3;

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (n − 1). */
    static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return v.length > 1 ? Math.sqrt(s / (v.length - 1)) : 0;
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    /** η = 0.2 n on our mse (η_eff = η/n = 0.2 on their ½Σ form), stable for points on the sphere. */
    private static double lr(Size s) {
        return 0.2 * s.n();
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %d points uniform on the sphere S^%d, N(0, 1) labels; du2019 net "
                + "(relu, first layer trained, a_r = ±1 fixed, no bias), widths m = %s; full-batch GD on our mse "
                + "(1/(2n))Σ(f − y)² with η = %.0f (η_eff = η/n = 0.2), %d steps; measured every %d steps "
                + "(train --track neurons,patterns); %d initialization seeds per width (mean ± sd in the width figures)", s.n(),
                s.d() - 1, s.widths(), lr(s), s.steps(), s.recordEvery(), SEEDS);
    }

    @Override
    public String fullTime() {
        return "about 2 min on 2 cores";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        List<Runs.Run> runs = new ArrayList<>();
        // seeds 0..SEEDS-1 per width (initializations; the data stay the same): the width figures show the mean and
        // the spread over seeds; the loss curves are seed 0's
        double[][] flipsBySeed = new double[s.widths().size()][SEEDS];
        double[][] movesBySeed = new double[s.widths().size()][SEEDS];
        for (int wi = 0; wi < s.widths().size(); wi++) {
            int m = s.widths().get(wi);
            for (int seed = SEEDS - 1; seed >= 0; seed--) {
                log.accept(id() + ": training width " + m + ", seed " + seed);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("dataset", "sphere:n=" + s.n() + ",d=" + s.d() + ",seed=1");
                c.put("parameterization", "du2019");
                c.put("bias", false);
                c.put("hidden", Integer.toString(m));
                c.put("lr", lr(s));
                c.put("steps", s.steps());
                c.put("record_every", s.recordEvery());
                c.put("track", "neurons,patterns");
                c.put("seed", (long) seed);
                Runs.Run run = Runs.train(c, dir.resolve("runs").resolve("m" + m + "-seed" + seed), threads);
                flipsBySeed[wi][seed] = run.last("pattern_change_fraction");
                movesBySeed[wi][seed] = run.last("neuron_movement_max");
                if (seed == 0) {
                    runs.add(run);
            }
            }
        }
        double[] widths = s.widths().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] flips = java.util.Arrays.stream(flipsBySeed).mapToDouble(DuFig1::mean).toArray();
        double[] moves = java.util.Arrays.stream(movesBySeed).mapToDouble(DuFig1::mean).toArray();
        double[] flipsSd = java.util.Arrays.stream(flipsBySeed).mapToDouble(DuFig1::sd).toArray();
        double[] movesSd = java.util.Arrays.stream(movesBySeed).mapToDouble(DuFig1::sd).toArray();
        String fixed = String.format(Locale.ROOT, "n=%d, d=%d, T=%d", s.n(), s.d(), s.steps());
        try {
            PaperChart loss = PaperChart.of("Linear convergence at every width, " + fixed, "GD step k",
                    "training loss (1/(2n))Σ(f − y)²").logY().integerX();
            List<double[]> lossColumns = new ArrayList<>();
            lossColumns.add(runs.get(0).series("loss")[0]);
            for (int i = 0; i < runs.size(); i++) {
                double[][] l = runs.get(i).series("loss");
                loss.add("m = " + s.widths().get(i) + " (seed 0)", l[0], l[1], PaperChart.Kind.CURVE);
                lossColumns.add(l[1]);
            }
            loss.write(dir.resolve("du2019-fig1a-loss"));
            List<String> lossHeader = new ArrayList<>(List.of("step"));
            s.widths().forEach(m -> lossHeader.add("loss_m" + m));
            Runs.csv(dir.resolve("du2019-fig1a-loss.csv"), lossHeader, lossColumns);
            LogLogFit flipFit = LogLogFit.of(widths, flips, 0.95);
            LogLogFit moveFit = LogLogFit.of(widths, moves, 0.95);
            PaperChart.of("Activation patterns changed by T, " + fixed, "width m",
                    "fraction of (x_i, unit r) signs changed").logX().logY()
                    .add("mean ± sd over " + SEEDS + " seeds", widths, flips, flipsSd, PaperChart.Kind.MEASURED)
                    .add(flipFit.legend("m"), widths, fitted(flipFit, widths),
                            PaperChart.Kind.PREDICTION)
                    .write(dir.resolve("du2019-fig1b-patterns"));
            PaperChart.of("Largest neuron movement by T, " + fixed, "width m",
                    "max_r ||w_r(T) − w_r(0)||").logX().logY()
                    .add("mean ± sd over " + SEEDS + " seeds", widths, moves, movesSd, PaperChart.Kind.MEASURED)
                    .add(moveFit.legend("m"), widths, fitted(moveFit, widths),
                            PaperChart.Kind.PREDICTION)
                    .add("slope -1/2 (theory)", widths,
                            java.util.Arrays.stream(widths).map(w -> moves[0] * Math.sqrt(widths[0] / w)).toArray(),
                            PaperChart.Kind.PREDICTION)
                    .write(dir.resolve("du2019-fig1c-movement"));
            Runs.csv(dir.resolve("du2019-fig1bc-width.csv"), List.of("width", "pattern_change_fraction_mean",
                    "pattern_change_fraction_sd", "neuron_movement_max_mean", "neuron_movement_max_sd",
                    "final_loss_seed0"), List.of(widths, flips, flipsSd, moves, movesSd,
                    runs.stream().mapToDouble(r -> ((Number) r.summary().get("final_loss")).doubleValue()).toArray()));
            double[] ratio = runs.stream().mapToDouble(r -> ((Number) r.summary().get("final_loss")).doubleValue()
                    / ((Number) r.summary().get("initial_loss")).doubleValue()).toArray();
            String comparison = String.format(Locale.ROOT, "Loss fell by a factor %s over %d steps at m = %s (seed 0; "
                    + "fig1a: log scale). Fraction of patterns changed at T (mean over " + SEEDS + " seeds): %s; fitted "
                    + "slope against m %s. Largest neuron movement (mean): %s; fitted slope %s (the analysis: about "
                    + "-1/2). %s", Trend.fmt(ratio, "%.1e"), s.steps(),
                    s.widths(), Trend.fmt(flips, "%.3g"), Trend.slope(flipFit), Trend.fmt(moves, "%.3g"),
                    Trend.slope(moveFit),
                    verdict(flipFit, moveFit));
            return new Outcome(List.of("du2019-fig1a-loss", "du2019-fig1b-patterns", "du2019-fig1c-movement"),
                    List.of("du2019-fig1a-loss.csv", "du2019-fig1bc-width.csv"), comparison);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The comparison with the paper's finding: both decrease with m (the slopes' 95 % intervals below 0). */
    static String verdict(LogLogFit flips, LogLogFit moves) {
        if (!Trend.hasInterval(flips) || !Trend.hasInterval(moves)) {
            return Trend.TOO_FEW;
        }
        if (Trend.shrinks(flips) && Trend.shrinks(moves)) {
            return "Both shrink with width (95% intervals of the slopes below 0), as the paper's Figure 1 shows"
                    + (moves.covers(-0.5) ? "; the movement's interval contains -1/2." : "; the movement's interval "
                            + "does not contain -1/2.");
        }
        return "Not as in the paper: the slope's 95% interval does not lie below 0 for "
                + (Trend.shrinks(flips) ? "the movement." : Trend.shrinks(moves) ? "the patterns." : "either quantity.");
    }

    private static double[] fitted(LogLogFit f, double[] x) {
        return java.util.Arrays.stream(x).map(f::predict).toArray();
    }

}
