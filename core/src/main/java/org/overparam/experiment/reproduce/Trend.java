package org.overparam.experiment.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.overparam.stats.LogLogFit;

/** How the reproductions read a power of the width fitted over their runs: its interval, its sign, its words. */
final class Trend {
    private Trend() {
    }

    /** What is said when the fit has no interval (two points fit any line exactly). */
    static final String TOO_FEW = "Too few widths for an interval: no statement on the trend.";

    static boolean hasInterval(LogLogFit f) {
        return !Double.isNaN(f.ciHigh());
    }

    /** The quantity shrinks with width: the slope's whole 95 % interval lies below 0. */
    static boolean shrinks(LogLogFit f) {
        return f.ciHigh() < 0;
    }

    /** "-0.48 (95% interval [-0.53, -0.42], 4 widths, R² 0.999)". */
    static String slope(LogLogFit f) {
        return !hasInterval(f) ? String.format(Locale.ROOT, "%.2f (two points: no interval)", f.slope())
                : String.format(Locale.ROOT, "%.2f (95%% interval [%.2f, %.2f], %d widths, R² %.3f)", f.slope(),
                        f.ciLow(), f.ciHigh(), f.points(), f.rSquared());
    }

    /** Values in one pattern, comma-separated. */
    static String fmt(double[] v, String pattern) {
        List<String> s = new ArrayList<>();
        for (double x : v) {
            s.add(String.format(Locale.ROOT, pattern, x));
        }
        return String.join(", ", s);
    }

    /**
     * Error bars for a log axis, which cannot show a bar reaching 0: a lower bar longer than 90 % of the mean is drawn to
     * 90 % of it (NaN: no bar), and {@link #spreadLabel} says so in the legend.
     */
    static double[] logAxisBars(double[] mean, double[] sd) {
        double[] out = new double[sd.length];
        for (int i = 0; i < sd.length; i++) {
            out[i] = Double.isNaN(sd[i]) ? 0 : Math.min(sd[i], 0.9 * mean[i]);
        }
        return out;
    }

    /** "mean ± sd, N seeds", and "(bars clipped above 0)" when {@link #logAxisBars} clipped one. */
    static String spreadLabel(double[] mean, double[] sd, int seeds) {
        boolean clipped = false;
        for (int i = 0; i < sd.length; i++) {
            clipped |= sd[i] >= 0.9 * mean[i];
        }
        return "mean ± sd, " + seeds + " seeds" + (clipped ? " (bars clipped above 0)" : "");
    }
}
