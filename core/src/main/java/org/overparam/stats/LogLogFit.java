package org.overparam.stats;

import java.util.Arrays;
import java.util.Optional;

/**
 * Ordinary least squares of ln y on ln x, i.e. the power law y ≈ e^a·x^b, with the slope's two-sided
 * confidence interval b ± t_{1−α/2, k−2}·se(b), se(b) = √(SSE/(k−2)/Sxx) (the textbook interval for a
 * regression slope, assuming independent normal errors of ln y around the line; e.g. Draper &amp; Smith,
 * <i>Applied Regression Analysis</i>, 3rd ed., §1.4), and R² = 1 − SSE/SST. scipy.stats.linregress gives the
 * same slope, intercept, se(b) and R² (pinned by the tests).
 *
 * @param points    k, the number of (x, y) pairs fitted
 * @param slope     b, the fitted exponent
 * @param intercept a (natural log)
 * @param slopeSe   se(b); NaN when k = 2 (a line through two points has no residual)
 * @param level     the confidence level, e.g. 0.95
 * @param ciLow     lower end of the slope's interval (NaN when k = 2)
 * @param ciHigh    upper end (NaN when k = 2)
 * @param rSquared  R² (NaN when every y is equal)
 */
public record LogLogFit(int points, double slope, double intercept, double slopeSe, double level, double ciLow,
        double ciHigh, double rSquared) {

    /** Fits k ≥ 2 points with positive, finite x (not all equal) and y. */
    public static LogLogFit of(double[] x, double[] y, double level) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need at least 2 (x, y) pairs of equal length, got " + x.length + " and "
                    + y.length);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        int k = x.length;
        double[] lx = new double[k];
        double[] ly = new double[k];
        double mx = 0;
        double my = 0;
        for (int i = 0; i < k; i++) {
            if (!(x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i]))) {
                throw new IllegalArgumentException("a log-log fit needs positive finite values, got (" + x[i] + ", " + y[i]
                        + ")");
            }
            lx[i] = Math.log(x[i]);
            ly[i] = Math.log(y[i]);
            mx += lx[i] / k;
            my += ly[i] / k;
        }
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < k; i++) {
            sxx += (lx[i] - mx) * (lx[i] - mx);
            sxy += (lx[i] - mx) * (ly[i] - my);
            syy += (ly[i] - my) * (ly[i] - my);
        }
        if (!(sxx > 0)) {
            throw new IllegalArgumentException("a log-log fit needs at least two distinct x values");
        }
        double b = sxy / sxx;
        double a = my - b * mx;
        double sse = 0;
        for (int i = 0; i < k; i++) {
            double r = ly[i] - (a + b * lx[i]);
            sse += r * r;
        }
        double r2 = syy > 0 ? 1 - sse / syy : Double.NaN;
        if (k == 2) {
            return new LogLogFit(k, b, a, Double.NaN, level, Double.NaN, Double.NaN, r2);
        }
        double se = Math.sqrt(sse / (k - 2) / sxx);
        double t = StudentT.quantile(1 - (1 - level) / 2, k - 2);
        return new LogLogFit(k, b, a, se, level, b - t * se, b + t * se, r2);
    }

    /**
     * The fit over the pairs that have logarithms (x and y positive and finite), or empty when fewer than 2 such
     * pairs remain or their x are all equal (as logarithms). For measured y (a distance, a gap) that may come out 0 or NaN at some x:
     * a caller then reports "not enough points" instead of a NaN or infinite exponent, and {@link #points()} says
     * how many pairs the fit used.
     */
    public static Optional<LogLogFit> ofUsable(double[] x, double[] y, double level) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " and " + y.length);
        }
        double[] ux = new double[x.length];
        double[] uy = new double[y.length];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                ux[k] = x[i];
                uy[k] = y[i];
                k++;
            }
        }
        // compared as logarithms, as of() does: neighbouring large doubles can share one
        boolean distinct = false;
        for (int i = 1; i < k; i++) {
            distinct |= Math.log(ux[i]) != Math.log(ux[0]);
        }
        if (!distinct) {
            return Optional.empty();
        }
        return Optional.of(of(Arrays.copyOf(ux, k), Arrays.copyOf(uy, k), level));
    }

    /** The fitted y at x: e^a·x^b. */
    public double predict(double x) {
        return Math.exp(intercept + slope * Math.log(x));
    }

    /**
     * The fit as a legend entry: "fit ∝ m^(−0.52 ± 0.04), 95% CI" for {@code variable} m, the exponent with no more
     * digits than its interval supports ({@link Rounding#plusMinus}); with two points, which any line fits exactly,
     * "fit ∝ m^−0.5 (2 points, no interval)".
     */
    public String legend(String variable) {
        if (Double.isNaN(ciHigh)) {
            return "fit ∝ " + variable + "^" + Rounding.significant(slope, 2) + " (" + points + " points, no interval)";
        }
        return String.format(java.util.Locale.ROOT, "fit ∝ %s^(%s), %s%% CI", variable,
                Rounding.plusMinus(slope, (ciHigh - ciLow) / 2), Rounding.significant(100 * level, 2));
    }

    /** Whether the slope's interval contains {@code exponent} (false when there is no interval). */
    public boolean covers(double exponent) {
        return ciLow <= exponent && exponent <= ciHigh;
    }
}
