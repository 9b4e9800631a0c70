package org.overparam.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-column thinning of dense curves: the line drawn is the same, with at most four points per column. */
class PixelThinningTest {
    @Test
    void thinningKeepsFirstLastAndEachColumnsExtremes() {
        List<double[]> p = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            p.add(new double[] {i / 100.0, r.nextDouble() * 50});
        }
        List<double[]> t = PixelThinning.thin(p);
        assertTrue(t.size() <= 4 * 100, "kept " + t.size());
        assertTrue(t.get(0) == p.get(0) && t.get(t.size() - 1) == p.get(p.size() - 1));
        for (int c = 0; c < 100; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = c * 100; i < (c + 1) * 100; i++) {
                lo = Math.min(lo, p.get(i)[1]);
                hi = Math.max(hi, p.get(i)[1]);
            }
            double tlo = Double.POSITIVE_INFINITY;
            double thi = Double.NEGATIVE_INFINITY;
            for (double[] q : t) {
                if ((int) Math.floor(q[0]) == c) {
                    tlo = Math.min(tlo, q[1]);
                    thi = Math.max(thi, q[1]);
                }
            }
            assertEquals(lo, tlo, 0.0, "column " + c);
            assertEquals(hi, thi, 0.0, "column " + c);
        }
        // kept points stay in their original order
        int last = -1;
        for (double[] q : t) {
            int idx = p.indexOf(q);
            assertTrue(idx > last);
            last = idx;
        }
    }
}
