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
        return result(ns, widths, new boolean[ns.length], 0.01);
    }

    /** Fits over the measured points only, as PolylogRun.execute does. */
    private static PolylogRun.Result result(int[] ns, int[] widths, boolean[] censored, double epsNtrf) {
        PolylogConfig c = new PolylogConfig(ns, 5, 0.1, 2, 1, 10, 1.0, 0.05, 8, 10, 0.1, 0, 4, Math.sqrt(2), 4096);
        List<PolylogRun.Point> pts = new ArrayList<>();
        for (int i = 0; i < ns.length; i++) {
            pts.add(new PolylogRun.Point(ns[i], widths[i], censored[i], 0.1, 0.01, epsNtrf, 1e-4, 1.0));
        }
        List<PolylogRun.Point> measured = pts.stream().filter(PolylogRun.Point::measured).toList();
        double[] logn = measured.stream().mapToDouble(p -> Math.log(p.n())).toArray();
        double[] n = measured.stream().mapToDouble(PolylogRun.Point::n).toArray();
        double[] m = measured.stream().mapToDouble(PolylogRun.Point::width).toArray();
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
    void scatterWithoutATrendIsSaidSoAndBoundsNothing() {
        // issue 13: "the widths grow no faster than n^b" was printed from R^2 = 0.08
        PolylogRun.Result r = result(new int[] {50, 100, 200, 400}, new int[] {4, 9, 5, 6});
        assertEquals("no trend", r.better());
        assertTrue(r.power().rSquared() < 0.5);
        assertTrue(Double.isNaN(r.powerExponentAtMost()));
        assertEquals(null, r.toMap().get("power_exponent_at_most"));
        assertEquals("undetermined", result(new int[] {50, 100}, new int[] {4, 9}).better());
        // widths without any variance: no fit can say how they grow
        assertTrue(Double.isNaN(result(new int[] {50, 100, 200, 400}, new int[] {8, 8, 8, 8}).powerExponentAtMost()));
    }

    @Test
    void upperBoundsAreNotFittedAndAreFlagged() {
        // the first width tried (4) succeeded at the two largest n: those are upper bounds, not measurements
        int[] ns = {50, 100, 200, 400, 800};
        PolylogRun.Result r = result(ns, new int[] {16, 11, 8, 4, 4}, new boolean[] {false, false, false, true, true}, 0.01);
        assertEquals(3, r.power().points());
        assertEquals("undetermined".equals(r.better()), false);
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> pts = (List<java.util.Map<String, Object>>) r.toMap().get("points");
        assertEquals(List.of(false, false, false, true, true), pts.stream().map(p -> p.get("censored")).toList());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("at n = [400, 800] the first width tried"), r.warnings().get(0));
    }

    @Test
    void aFailedNtrfHypothesisIsWarnedAbout() {
        PolylogRun.Result r = result(new int[] {50, 100, 200}, new int[] {8, 11, 16}, new boolean[3], 0.4);
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("eps_NTRF(R) exceeds 0.1"), r.warnings().get(0));
        assertEquals(false, ((List<?>) r.toMap().get("points")).stream()
                .map(p -> ((java.util.Map<?, ?>) p).get("ntrf_hypothesis_met")).distinct().toList().get(0));
        assertTrue(result(new int[] {50, 100, 200}, new int[] {8, 11, 16}).warnings().isEmpty());
    }
}
