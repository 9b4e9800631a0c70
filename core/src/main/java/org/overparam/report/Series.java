package org.overparam.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named curve of a {@link LinePlot}: points {@code (x[i], y[i])} joined in the given order.
 * Non-finite points (and, on a log axis, non-positive ones) are dropped when drawing and break the line.
 * The arrays are copied on construction and on access.
 */
public record Series(String label, double[] x, double[] y) {

    public Series {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "series '" + label + "': x has " + x.length + " points but y has " + y.length);
        }
        x = x.clone();
        y = y.clone();
    }

    /** A series with x = 1, 2, ..., n (e.g. a loss curve over iterations, which also works on a log-x axis). */
    public static Series ofY(String label, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return new Series(label, x, y);
    }

    public int size() {
        return x.length;
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    double xAt(int i) {
        return x[i];
    }

    double yAt(int i) {
        return y[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && label.equals(s.label) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * label.hashCode() + Arrays.hashCode(x)) + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "Series[" + label + ", " + x.length + " points]";
    }
}
