package org.overparam.experiment;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.overparam.report.PaperChart;

/**
 * Reduced cells drawn as a paper draws them: one point per cell of a (panel, curve), x = the cell's x (or another
 * quantity, e.g. its parameter count), in grid order. The median over seeds is the measured line, the range over
 * the seeds a shaded band around it, and a censored median (more seeds did not fit than fit: +infinity) an
 * up-pointing triangle at the step budget — the time to fit is at least that — never a made-up point.
 */
public final class FitCurves {
    private FitCurves() {
    }

    /** The cells of one curve in a panel. */
    public static List<FitCell> curve(List<FitCell> cells, String panel, String curve) {
        return cells.stream().filter(c -> c.key().panel().equals(panel) && c.key().curve().equals(curve)).toList();
    }

    /** The cells' x, as the grid gave it. */
    public static double gridX(FitCell c) {
        return c.key().x();
    }

    /**
     * Steps to fit against {@code x}: the median (name {@code name}), the fastest to the slowest seed shaded where
     * every seed fit, and the cells whose median did not fit as triangles at the budget.
     */
    public static void steps(PaperChart chart, String name, List<FitCell> cells, ToDoubleFunction<FitCell> x) {
        chart.add(name, values(cells, x), values(cells, c -> c.steps().median()), PaperChart.Kind.MEASURED);
        chart.addBand(name, name + ": fastest to slowest seed", values(cells, x), values(cells, c -> c.fittedSteps().min()),
                values(cells, c -> c.steps().max()));
        List<FitCell> censored = cells.stream().filter(c -> Double.isInfinite(c.steps().median())).toList();
        if (!censored.isEmpty()) {
            chart.addInColourOf(name, name + ": median did not fit (≥ " + censored.get(0).budget() + " steps)",
                    values(censored, x),
                    values(censored, c -> c.budget()), PaperChart.Kind.AT_LEAST);
        }
    }

    /** The test error against {@code x}: the median, and the lowest to the highest seed shaded. */
    public static void testError(PaperChart chart, String name, List<FitCell> cells, ToDoubleFunction<FitCell> x) {
        chart.add(name, values(cells, x), values(cells, c -> c.testError().median()), PaperChart.Kind.MEASURED);
        chart.addBand(name, name + ": lowest to highest seed", values(cells, x), values(cells, c -> c.testError().min()),
                values(cells, c -> c.testError().max()));
    }

    static double[] values(List<FitCell> cells, ToDoubleFunction<FitCell> f) {
        return cells.stream().mapToDouble(f).toArray();
    }

    /** "3 seeds", or "2–3 seeds" when some runs failed, for plot titles. */
    public static String seedCount(List<FitCell> cells) {
        int lo = cells.stream().mapToInt(FitCell::stored).min().orElse(0);
        int hi = cells.stream().mapToInt(FitCell::stored).max().orElse(0);
        return (lo == hi ? Integer.toString(hi) : lo + "–" + hi) + (hi == 1 ? " seed" : " seeds");
    }
}
