package org.overparam.experiment;

import java.util.Objects;

/**
 * One training run of a preset study and where its result goes: the figure panel (e.g. the data set), the
 * curve in that panel (e.g. "depth 2" or "label corruption"), the curve's x value (p, a parameter count;
 * NaN for a condition that is a single point, such as "random pixels") and the run's configuration.
 * Runs that differ only in their seed share panel, curve and x, and are reduced together by
 * {@link FitReduction}.
 */
public record GridPoint(String panel, String curve, double x, RunConfig config) {
    public GridPoint {
        Objects.requireNonNull(panel, "panel");
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(config, "config");
    }

    /** The cell this run is a seed of. */
    public FitCell.Key key() {
        return new FitCell.Key(panel, curve, x);
    }
}
