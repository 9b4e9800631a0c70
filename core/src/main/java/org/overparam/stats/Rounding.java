package org.overparam.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A value written with no more digits than its uncertainty supports: the half-width of the interval to one
 * significant digit (two when its first digit is a 1, where rounding to one digit would move it by up to a third),
 * and the value to the same decimal place, e.g. (−0.5213, 0.0437) → "−0.52 ± 0.04", (3.14159, 0.16) → "3.14 ± 0.16".
 * The minus sign is the typographic one (U+2212), as in a paper.
 */
public final class Rounding {
    static final String MINUS = "\u2212";

    private Rounding() {
    }

    /** "value ± halfWidth", rounded as above; the value alone to 2 significant digits when halfWidth is not finite. */
    public static String plusMinus(double value, double halfWidth) {
        if (!(halfWidth > 0) || !Double.isFinite(halfWidth)) {
            return significant(value, 2);
        }
        int place = decimalPlace(halfWidth);
        return fixed(value, place) + " ± " + fixed(halfWidth, place);
    }

    /** The number of decimals the half-width {@code h} is given with (negative: rounded to tens, hundreds, ...). */
    static int decimalPlace(double h) {
        int lead = (int) Math.floor(Math.log10(h));
        // its first digit (through BigDecimal: 0.3 / 0.1 is 2.9999999999999996 in doubles); a 1 gets a second digit
        int first = new BigDecimal(Double.toString(h)).movePointLeft(lead).intValue();
        return first == 1 ? 1 - lead : -lead;
    }

    /** {@code v} to {@code place} decimals (none when place ≤ 0), with U+2212 for the minus. */
    static String fixed(double v, int place) {
        String s = new BigDecimal(v).setScale(place, RoundingMode.HALF_EVEN).toPlainString();
        if (s.startsWith("-")) {
            s = s.substring(1);
            s = s.matches("[0.]+") ? s : MINUS + s;
        }
        return s;
    }

    /** {@code v} to {@code digits} significant digits, plain notation, with U+2212 for the minus. */
    public static String significant(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        int place = digits - 1 - (int) Math.floor(Math.log10(Math.abs(v)));
        return fixed(v, place);
    }
}
