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
     * Steps to fit against {@code x}: the median (its legend entry {@code label}, the seed count and "shaded:
     * range"), the fastest to the slowest seed shaded where every seed fit, and the cells whose median did not fit as
     * triangles at the budget.
     */
    public static void steps(PaperChart chart, String label, List<FitCell> cells, ToDoubleFunction<FitCell> x) {
        String name = median(label, cells);
        chart.add(name, values(cells, x), values(cells, c -> c.steps().median()), PaperChart.Kind.MEASURED);
        chart.addBand(name, name + ": range over seeds", values(cells, x), values(cells, c -> c.fittedSteps().min()),
                values(cells, c -> c.steps().max()));
        List<FitCell> censored = cells.stream().filter(c -> Double.isInfinite(c.steps().median())).toList();
        if (!censored.isEmpty()) {
            chart.addInColourOf(name, label + ": median did not fit (≥ " + censored.get(0).budget() + " steps)",
                    values(censored, x),
                    values(censored, c -> c.budget()), PaperChart.Kind.AT_LEAST);
        }
    }

    /** The test error against {@code x}: the median, and the lowest to the highest seed shaded. */
    public static void testError(PaperChart chart, String label, List<FitCell> cells, ToDoubleFunction<FitCell> x) {
        String name = median(label, cells);
        chart.add(name, values(cells, x), values(cells, c -> c.testError().median()), PaperChart.Kind.MEASURED);
        chart.addBand(name, name + ": range over seeds", values(cells, x), values(cells, c -> c.testError().min()),
                values(cells, c -> c.testError().max()));
    }

    /** "depth 2: median of 3 seeds (shaded: range)": the band has no legend entry of its own. */
    private static String median(String label, List<FitCell> cells) {
        return label + ": median of " + seedCount(cells) + " (shaded: range)";
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
