package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.stats.LogLogFit;

/** The verdict of the polylog-vs-power comparison on hand-made widths. */
class PolylogResultTest {
    private static PolylogRun.Result result(int[] ns, int[] widths) {
        PolylogConfig c = new PolylogConfig(ns, 5, 0.1, 2, 1, 10, 1.0, 0.05, 8, 10, 0.1, 0, 4, Math.sqrt(2), 4096);
        List<PolylogRun.Point> pts = new ArrayList<>();
        for (int i = 0; i < ns.length; i++) {
            pts.add(new PolylogRun.Point(ns[i], widths[i], 0.1, 0.01, 0.1, 1e-4, 1.0));
        }
        double[] logn = new double[ns.length];
        double[] n = new double[ns.length];
        double[] m = new double[ns.length];
        for (int i = 0; i < ns.length; i++) {
            logn[i] = Math.log(ns[i]);
            n[i] = ns[i];
            m[i] = widths[i];
        }
        return new PolylogRun.Result(c, pts, LogLogFit.of(logn, m, 0.95), LogLogFit.of(n, m, 0.95), 0, 0);
    }

    @Test
    void widthsProportionalToNAreAPowerAndBoundedByTheInterval() {
        PolylogRun.Result r = result(new int[] {50, 100, 200, 400, 800}, new int[] {10, 20, 40, 80, 160});
        assertEquals("power", r.better());
        assertEquals(1.0, r.power().slope(), 1e-12);
        assertTrue(r.powerExponentAtMost() >= 1.0 - 1e-9);
    }

    @Test
    void widthsGrowingLikeLogNArePolylog() {
        int[] ns = {10, 100, 1000, 10000, 100000};
        int[] w = new int[ns.length];
        for (int i = 0; i < ns.length; i++) {
            w[i] = (int) Math.round(100 * Math.pow(Math.log(ns[i]), 2));
        }
        assertEquals("polylog", result(ns, w).better());
    }

    @Test
    void scatterWithoutATrendIsSaidSoAndStillBoundsTheGrowth() {
        PolylogRun.Result r = result(new int[] {50, 100, 200, 400}, new int[] {4, 9, 5, 6});
        assertEquals("no trend", r.better());
        assertTrue(r.powerExponentAtMost() > r.power().slope());
        assertEquals("undetermined", result(new int[] {50, 100}, new int[] {4, 9}).better());
    }
}
