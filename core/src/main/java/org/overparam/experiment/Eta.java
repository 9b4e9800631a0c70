package org.overparam.experiment;

import java.util.Locale;

/** Progress of counted work in one phrase: "17/27, 2.3 s each, ETA 23 s" (the rate over the work done so far). */
public final class Eta {
    private Eta() {
    }

    /** {@code done} of {@code total} items after {@code seconds}; the ETA assumes the rate so far. */
    public static String of(long done, long total, double seconds) {
        if (done <= 0 || total <= 0) {
            return total > 0 ? "0/" + total : "";
        }
        double each = seconds / done;
        return String.format(Locale.ROOT, "%d/%d, %s each, ETA %s", done, total, duration(each),
                duration(each * Math.max(0, total - done)));
    }

    /** 0.4 s, 12 s, 3m05s, 2h04m. */
    public static String duration(double s) {
        if (s < 10) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long t = Math.round(s);
        if (t < 60) {
            return t + " s";
        }
        if (t < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
    }
}
