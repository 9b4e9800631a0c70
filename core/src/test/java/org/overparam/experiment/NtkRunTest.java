package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NtkRunTest {
    /** --compare-infinite's width fit: the least-squares slope of log distance on log width, keys as before. */
    @Test
    void widthFitIsTheLogLogSlope() {
        List<Integer> widths = List.of(64, 256, 1024);
        double[] d = {0.4, 0.21, 0.098};
        CompareInfinite.WidthFit c = NtkRun.widthFit(widths, d, 3);
        assertEquals(List.of("fitted_exponent", "expected_exponent", "fit"), List.copyOf(org.overparam.io.JsonBinding.toMap(c).keySet()));
        // independent: with 3 equally spaced log widths the middle point has no leverage, and the least-squares
        // slope is the end points' (ln d3 - ln d1) / (ln m3 - ln m1)
        double expected = (Math.log(0.098) - Math.log(0.4)) / (Math.log(1024) - Math.log(64));
        assertEquals(expected, c.fittedExponent(), 1e-12);
        assertEquals(-0.5, c.expectedExponent());
        assertEquals("least squares of log(mean distance) on log(width) over 3 widths, 3 seeds each", c.fit());
    }

    /** Fewer than two distinct widths with a usable distance: null exponent and "not enough points", never NaN. */
    @Test
    void widthFitSaysNotEnoughPoints() {
        for (CompareInfinite.WidthFit c : List.of(NtkRun.widthFit(List.of(64), new double[] {0.3}, 2),
                NtkRun.widthFit(List.of(64, 64), new double[] {0.3, 0.31}, 2),
                NtkRun.widthFit(List.of(64, 256), new double[] {0.3, Double.NaN}, 2))) {
            assertTrue(org.overparam.io.JsonBinding.toMap(c).containsKey("fitted_exponent"));
            assertNull(c.fittedExponent(), c.toString());
            assertTrue(c.fit().startsWith("not enough points"), c.toString());
        }
        CompareInfinite.WidthFit some = NtkRun.widthFit(List.of(64, 256, 1024), new double[] {0.4, 0.0, 0.1}, 2);
        assertEquals(-0.5, some.fittedExponent(), 1e-12);
        assertTrue(some.fit().contains("over 2 of 3 widths"), some.toString());
    }
}
