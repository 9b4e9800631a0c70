package org.overparam.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a {@link LinePlot}: its bounds, the map from data to the unit interval, and its ticks.
 * Linear axes get "nice" 1-2-5 ticks; log axes get major ticks at decades 10^k (every decade, or every
 * few decades when the range is huge) and minor ticks at 2..9 x 10^k.
 */
final class Axis {

    /** A tick at {@code value}; {@code text} is the label (empty for minor ticks), {@code exponent} a
     *  superscript after it, or null. The label reads {@code text} then {@code exponent} raised. */
    record Tick(double value, String text, String exponent, boolean major) {
    }

    static final String MINUS = "\u2212";
    private static final int MAX_DECADE_TICKS = 8;

    private final boolean log;
    private final double lo;
    private final double hi;
    // transformed bounds: log10 of the bounds on a log axis, the bounds themselves otherwise
    private final double tlo;
    private final double thi;
    private final List<Tick> ticks;

    private Axis(boolean log, double lo, double hi, List<Tick> ticks) {
        this.log = log;
        this.lo = lo;
        this.hi = hi;
        this.tlo = log ? Math.log10(lo) : lo;
        this.thi = log ? Math.log10(hi) : hi;
        this.ticks = List.copyOf(ticks);
    }

    /** An axis fitted to data in [min, max] (both finite, min <= max, and > 0 when log). If the data is
     *  missing (min > max or non-finite), a default range [0, 1] or [1, 10] is used. */
    static Axis auto(double min, double max, boolean log, int targetTicks) {
        return log ? autoLog(min, max) : autoLinear(min, max, targetTicks);
    }

    /** An axis with exactly the given bounds; ticks are placed inside them. */
    static Axis fixed(double lo, double hi, boolean log, int targetTicks) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi) || (log && !(lo > 0))) {
            throw new IllegalArgumentException("bad axis range [" + lo + ", " + hi + "]" + (log ? " for a log axis" : ""));
        }
        return log ? logAxis(lo, hi) : linearAxis(lo, hi, niceStep((hi - lo) / Math.max(1, targetTicks - 1)));
    }

    boolean isLog() {
        return log;
    }

    double lo() {
        return lo;
    }

    double hi() {
        return hi;
    }

    List<Tick> ticks() {
        return ticks;
    }

    List<Tick> majorTicks() {
        return ticks.stream().filter(Tick::major).toList();
    }

    /** Whether {@code v} can be drawn on this axis at all (finite, and positive on a log axis). */
    boolean accepts(double v) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** Position of {@code v} as a fraction of the axis: 0 at {@link #lo()}, 1 at {@link #hi()}; strictly
     *  increasing in {@code v}. Only meaningful when {@link #accepts(double)}. */
    double fraction(double v) {
        double t = log ? Math.log10(v) : v;
        // halves guard against overflow of (thi - tlo) for ranges near Double.MAX_VALUE
        return (t * 0.5 - tlo * 0.5) / (thi * 0.5 - tlo * 0.5);
    }

    // ------------------------------------------------------------------ linear

    private static Axis autoLinear(double min, double max, int targetTicks) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && min <= max)) {
            min = 0;
            max = 1;
        }
        if (min == max) {
            double d = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= d;
            max += d;
        }
        double span = max - min;
        if (!Double.isFinite(span)) {
            return new Axis(false, min, max, List.of(linearTick(min, Math.abs(max)), linearTick(max, Math.abs(max))));
        }
        double step = niceStep(span / Math.max(1, targetTicks - 1));
        double lo = Math.floor(min / step) * step;
        double hi = Math.ceil(max / step) * step;
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            lo = min;
            hi = max;
        }
        return linearAxis(lo, hi, step);
    }

    private static Axis linearAxis(double lo, double hi, double step) {
        List<Tick> ticks = new ArrayList<>();
        double eps = step * 1e-9;
        double first = Math.ceil((lo - eps) / step);
        for (int i = 0; i < 1000; i++) {
            double v = (first + i) * step;
            if (v > hi + eps) {
                break;
            }
            if (Math.abs(v) < eps) {
                v = 0.0;
            }
            ticks.add(linearTick(v, step));
        }
        return new Axis(false, lo, hi, ticks);
    }

    /** Smallest of 1, 2, 5 x 10^k that is >= raw. */
    static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double e = Math.floor(Math.log10(raw));
        double p = Math.pow(10, e);
        double f = raw / p;
        double nf = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
        return nf * p;
    }

    /** Label of a linear tick, with just enough digits to resolve {@code step}. */
    static Tick linearTick(double v, double step) {
        if (v == 0) {
            return new Tick(0.0, "0", null, true);
        }
        int stepExp = (int) Math.floor(Math.log10(step));
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-3) {
            int e = (int) Math.floor(Math.log10(a));
            double m = v / Math.pow(10, e);
            int digits = Math.max(0, Math.min(15, e - stepExp));
            String ms = plain(m, digits);
            if (ms.equals("10") || ms.equals(MINUS + "10")) { // rounding pushed the mantissa up a decade
                e += 1;
                ms = plain(v / Math.pow(10, e), Math.max(0, digits - 1));
            }
            if (ms.equals("1")) {
                return new Tick(v, "10", signed(e), true);
            }
            if (ms.equals(MINUS + "1")) {
                return new Tick(v, MINUS + "10", signed(e), true);
            }
            return new Tick(v, ms + "\u00d710", signed(e), true);
        }
        return new Tick(v, plain(v, Math.max(0, Math.min(15, -stepExp))), null, true);
    }

    private static String plain(double v, int decimals) {
        String s = new BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString();
        if (s.startsWith("-")) {
            s = s.substring(1);
            s = isZero(s) ? s : MINUS + s;
        }
        return s;
    }

    private static boolean isZero(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '0' && c != '.') {
                return false;
            }
        }
        return true;
    }

    static String signed(int e) {
        return e < 0 ? MINUS + (-e) : Integer.toString(e);
    }

    // ------------------------------------------------------------------ log

    private static Axis autoLog(double min, double max) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && min > 0 && min <= max)) {
            min = 1;
            max = 10;
        }
        int kLo = (int) Math.floor(Math.log10(min));
        int kHi = (int) Math.ceil(Math.log10(max));
        kLo = Math.max(kLo, -323); // 1e-324 is 0 in double
        kHi = Math.min(Math.max(kHi, kLo + 1), 308);
        if (kHi <= kLo) {
            kLo = kHi - 1;
        }
        int stride = stride(kHi - kLo);
        kLo = Math.floorDiv(kLo, stride) * stride;
        kHi = kLo + ((kHi - kLo + stride - 1) / stride) * stride;
        kLo = Math.max(kLo, -323);
        kHi = Math.min(kHi, 308);
        return logAxis(pow10(kLo), pow10(kHi));
    }

    private static int stride(int decades) {
        return Math.max(1, (decades + MAX_DECADE_TICKS - 1) / MAX_DECADE_TICKS);
    }

    private static Axis logAxis(double lo, double hi) {
        double llo = Math.log10(lo);
        double lhi = Math.log10(hi);
        double eps = 1e-9;
        int kLo = (int) Math.floor(llo + eps);
        int kHi = (int) Math.floor(lhi + eps);
        int stride = stride(Math.max(1, (int) Math.ceil(lhi - llo - eps)));
        List<Tick> ticks = new ArrayList<>();
        for (int k = kLo - 1; k <= kHi; k++) {
            double decade = pow10(k);
            boolean major = Math.floorMod(k, stride) == 0;
            if (k >= llo - eps && k <= lhi + eps) {
                ticks.add(major ? new Tick(decade, "10", signed(k), true) : new Tick(decade, "", null, false));
            }
            if (stride == 1) {
                for (int m = 2; m <= 9; m++) {
                    double v = m * decade;
                    double lv = Math.log10(v);
                    if (lv >= llo - eps && lv <= lhi + eps) {
                        ticks.add(new Tick(v, "", null, false));
                    }
                }
            }
        }
        return new Axis(true, lo, hi, ticks);
    }

    static double pow10(int k) {
        return Double.parseDouble("1e" + k); // exact nearest double, unlike Math.pow for large |k|
    }
}
