package org.overparam.experiment;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.overparam.report.Series;

/**
 * Plot series from reduced cells: one point per cell of a (panel, curve), x = the cell's x, in grid
 * order. A censored median (more seeds did not fit than fit) is +infinity and so is not drawn; LinePlot
 * counts it in its note under the plot.
 */
public final class FitCurves {
    /** Steps to fit, median over seeds (+infinity when censored). */
    public static final ToDoubleFunction<FitCell> STEPS_MEDIAN = c -> c.steps().median();
    /** Steps to fit, smallest over the seeds that fit. */
    public static final ToDoubleFunction<FitCell> STEPS_MIN = c -> c.fittedSteps().min();
    /** Steps to fit, largest over all seeds (+infinity when one did not fit). */
    public static final ToDoubleFunction<FitCell> STEPS_MAX = c -> c.steps().max();
    public static final ToDoubleFunction<FitCell> TEST_ERROR_MEDIAN = c -> c.testError().median();
    public static final ToDoubleFunction<FitCell> TEST_ERROR_MIN = c -> c.testError().min();
    public static final ToDoubleFunction<FitCell> TEST_ERROR_MAX = c -> c.testError().max();

    private FitCurves() {
    }

    /** The cells of one curve in a panel. */
    public static List<FitCell> curve(List<FitCell> cells, String panel, String curve) {
        return cells.stream().filter(c -> c.key().panel().equals(panel) && c.key().curve().equals(curve)).toList();
    }

    /** A series of {@code y} against the cells' x, or against {@code x} when given. */
    public static Series series(String label, List<FitCell> cells, ToDoubleFunction<FitCell> x,
            ToDoubleFunction<FitCell> y) {
        return new Series(label, cells.stream().mapToDouble(x).toArray(), cells.stream().mapToDouble(y).toArray());
    }

    public static Series series(String label, List<FitCell> cells, ToDoubleFunction<FitCell> y) {
        return series(label, cells, c -> c.key().x(), y);
    }

    /** "3 seeds", or "2–3 seeds" when some runs failed, for plot titles. */
    public static String seedCount(List<FitCell> cells) {
        int lo = cells.stream().mapToInt(FitCell::stored).min().orElse(0);
        int hi = cells.stream().mapToInt(FitCell::stored).max().orElse(0);
        return (lo == hi ? Integer.toString(hi) : lo + "–" + hi) + (hi == 1 ? " seed" : " seeds");
    }
}
