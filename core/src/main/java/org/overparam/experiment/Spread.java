package org.overparam.experiment;

import java.util.Arrays;

/**
 * The median and range of a sampled quantity over seeds, and how many values there were. Values may be
 * +infinity (a censored observation, e.g. a run that did not fit within its step budget): such a value
 * sorts last, so the median is infinite exactly when it cannot be bounded by what was measured. With no
 * values every statistic is NaN.
 */
public record Spread(int count, double median, double min, double max) {

    public static Spread of(double[] values) {
        if (values.length == 0) {
            return new Spread(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : midpoint(v[n / 2 - 1], v[n / 2]);
        return new Spread(n, median, v[0], v[n - 1]);
    }

    private static double midpoint(double a, double b) {
        return Double.isInfinite(b) ? b : (a + b) / 2;
    }
}
