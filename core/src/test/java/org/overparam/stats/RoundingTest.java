package org.overparam.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A value is written to the decimal place of its interval's half-width, no further. */
class RoundingTest {
    @Test
    void theValueStopsWhereTheHalfWidthsFirstDigitIs() {
        assertEquals("−0.52 ± 0.04", Rounding.plusMinus(-0.5213, 0.0437));
        assertEquals("3.14 ± 0.16", Rounding.plusMinus(3.14159, 0.16)); // a leading 1 keeps a second digit
        assertEquals("−0.50 ± 0.10", Rounding.plusMinus(-0.5, 0.096)); // 0.096 rounds up to a leading 1
        assertEquals("123 ± 12", Rounding.plusMinus(123.4, 12));
        assertEquals("1200 ± 300", Rounding.plusMinus(1234, 340));
        assertEquals("0.0 ± 0.3", Rounding.plusMinus(-0.01, 0.3)); // no "−0.0"
        assertEquals("−0.52", Rounding.plusMinus(-0.5213, Double.NaN));
    }

    @Test
    void aFitsLegendCarriesItsExponentWithTheInterval() {
        double[] m = {16, 64, 256, 1024, 4096};
        double[] y = new double[m.length];
        double[] wiggle = {1.05, 0.97, 1.02, 0.96, 1.03};
        for (int i = 0; i < m.length; i++) {
            y[i] = 3 * Math.pow(m[i], -0.5) * wiggle[i];
        }
        LogLogFit f = LogLogFit.of(m, y, 0.95);
        String legend = f.legend("m");
        assertEquals("fit ∝ m^(" + Rounding.plusMinus(f.slope(), (f.ciHigh() - f.ciLow()) / 2) + "), 95% CI", legend);
        assertTrue(legend.matches("fit ∝ m\\^\\(−0\\.\\d+ ± 0\\.\\d+\\), 95% CI"), legend);
        LogLogFit two = LogLogFit.of(new double[] {1, 4}, new double[] {1, 0.5}, 0.95);
        assertEquals("fit ∝ m^−0.50 (2 points, no interval)", two.legend("m"));
    }
}
