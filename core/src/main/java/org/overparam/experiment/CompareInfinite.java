package org.overparam.experiment;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * {@code ntk --compare-infinite}: the empirical NTK against the analytic infinite-width one, for the network and
 * for Monte-Carlo networks at each width, with the fitted width exponent (its keys follow
 * {@code monte_carlo}). Nulls are written: {@code std_relative_distance} with one sample, {@code fitted_exponent}
 * without enough points.
 */
public record CompareInfinite(String analytic, double relativeFrobeniusDistance, List<MonteCarlo> monteCarlo,
        @JsonUnwrapped WidthFit widthFit) {

    /** The random networks of one width: mean and standard deviation (null with one sample) of the distance. */
    public record MonteCarlo(int width, int samples, double meanRelativeDistance, Double stdRelativeDistance) {
    }

    /** The exponent b of mean distance ≈ a·m^b (null without two usable widths), the expected −1/2 and how. */
    public record WidthFit(Double fittedExponent, double expectedExponent, String fit) {
    }
}
