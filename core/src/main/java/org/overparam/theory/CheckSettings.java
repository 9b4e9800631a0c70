package org.overparam.theory;

/**
 * The user's training settings a check trains with, so that it measures the user's run (issue 13): GD's step η on
 * our mse, the number of steps T, the minibatch size (for the SGD check) and the seed. The PL rate's and the
 * critical step's hypotheses are evaluated at this η; last-layer-convex trains only the last layer, at half its own
 * critical step; every check lists what it used in its parameters. {@code trendWidths}: the widths of a check that measures a trend over a family of runs
 * (the linearization gap against width), each trained with these settings.
 */
public record CheckSettings(double lr, long steps, int batch, long seed, java.util.List<Integer> trendWidths) {
    /** The widths of a check that measures a trend over a family of runs, unless given. */
    public static final java.util.List<Integer> DEFAULT_TREND_WIDTHS = java.util.List.of(64, 256, 1024);

    public CheckSettings {
        if (!(lr > 0) || !Double.isFinite(lr) || steps < 1 || batch < 1) {
            throw new IllegalArgumentException("need lr > 0 finite, steps >= 1, batch >= 1");
        }
        trendWidths = java.util.List.copyOf(trendWidths);
        if (trendWidths.size() < 2 || trendWidths.stream().anyMatch(w -> w < 1)) {
            throw new org.overparam.InputError("--trend-widths needs at least two positive widths, got " + trendWidths);
        }
    }
}
