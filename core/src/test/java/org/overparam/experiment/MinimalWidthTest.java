package org.overparam.experiment;

import org.overparam.theory.WidthSearch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.InputError;

/** The width search with fake predicates (no training), and once with real runs in a store (resume). */
class MinimalWidthTest {
    @TempDir
    Path tmp;

    /** Runs one search against a deterministic success predicate. */
    static WidthSearch run(WidthSearch s, IntPredicate succeeds) {
        for (OptionalInt m = s.next(); m.isPresent(); m = s.next()) {
            boolean ok = succeeds.test(m.getAsInt());
            s.record(new WidthSearch.Probe(m.getAsInt(), ok ? 1 : 0, 1, ok));
        }
        return s;
    }

    @Test
    void growThenBisectLandsExactlyOnAMonotoneThreshold() {
        for (int t = 2; t <= 700; t++) {
            int threshold = t;
            WidthSearch s = run(new WidthSearch(1, 2, 4096, 0), m -> m >= threshold);
            assertEquals(WidthSearch.Status.FOUND, s.status(), "t = " + t);
            assertEquals(threshold, s.minimalWidth().getAsInt(), "t = " + t);
            assertEquals(threshold - 1, s.lastFailure().getAsInt(), "t = " + t);
            // grid 1, 2, 4, … up to the first power of two >= t, then at most log2 of the gap
            int grid = 1 + (int) Math.ceil(Math.log(t) / Math.log(2));
            assertTrue(s.probes().size() <= grid + (int) Math.ceil(Math.log(Math.max(2, t)) / Math.log(2)), "t = " + t);
        }
    }

    @Test
    void aRelativeResolutionBracketsTheThresholdWithinIt() {
        for (int t = 4; t <= 2000; t += 7) { // m0 = 3 fails
            int threshold = t;
            WidthSearch s = run(new WidthSearch(3, 1.5, 100_000, 0.05), m -> m >= threshold);
            int found = s.minimalWidth().getAsInt();
            assertTrue(found >= t && s.lastFailure().getAsInt() < t, "t = " + t + " found " + found);
            assertTrue(found - s.lastFailure().getAsInt() <= Math.max(1, 0.05 * found), "t = " + t);
        }
    }

    @Test
    void theGridIsGeometricStrictlyIncreasingAndEndsAtTheCap() {
        WidthSearch s = run(new WidthSearch(3, 1.5, 20, 0), m -> false);
        assertEquals(List.of(3, 5, 7, 11, 16, 20), s.probes().stream().map(WidthSearch.Probe::width).toList());
        assertEquals(WidthSearch.Status.NOT_REACHED, s.status());
        assertTrue(s.minimalWidth().isEmpty(), "no m* when the cap fails");
        assertEquals(List.of(1, 2, 3, 4), run(new WidthSearch(1, 1.1, 4, 0), m -> false).probes().stream()
                .map(WidthSearch.Probe::width).toList());
    }

    @Test
    void aSucceedingFirstProbeIsOnlyAnUpperBound() {
        WidthSearch s = run(new WidthSearch(8, 2, 64, 0), m -> true);
        assertEquals(WidthSearch.Status.AT_FIRST_PROBE, s.status());
        assertEquals(8, s.minimalWidth().getAsInt());
        assertTrue(s.lastFailure().isEmpty());
        assertEquals(1, s.probes().size());
    }

    /** Success at 5 and from 8 on, failure at 6 and 7: the search reports 8, the smallest width it found. */
    @Test
    void nonMonotoneSuccessGivesTheSmallestWidthThisSearchFound() {
        WidthSearch s = run(new WidthSearch(1, 2, 64, 0), m -> m == 5 || m >= 8);
        assertEquals(8, s.minimalWidth().getAsInt());
        assertEquals(List.of(1, 2, 4, 8, 6, 7), s.probes().stream().map(WidthSearch.Probe::width).toList());
    }

    @Test
    void probesOutOfOrderAreRefused() {
        WidthSearch s = new WidthSearch(1, 2, 64, 0);
        assertThrows(IllegalStateException.class, () -> s.record(new WidthSearch.Probe(2, 0, 1, false)));
    }

    @Test
    void requiredSuccessesIsTheCeilingOfOneMinusDeltaTimesSeeds() {
        int[][] cases = {{5, 0, 5}, {5, 20, 4}, {10, 10, 9}, {4, 25, 3}, {3, 50, 2}, {5, 99, 1}, {7, 30, 5}};
        for (int[] c : cases) {
            MinimalWidth.Spec s = spec(List.of(4, 8), c[0], c[1] / 100.0, 1, 64);
            assertEquals(c[2], s.requiredSuccesses(), c[0] + " seeds, delta " + c[1] + "%");
        }
    }

    /** Every unfinished n's next width goes out in one batch; success needs the required count of seeds. */
    @Test
    void lockstepBatchesOneProbePerUnfinishedNAndCountsSeeds() {
        Map<Integer, Integer> threshold = Map.of(4, 3, 8, 9, 16, 1000);
        List<List<MinimalWidth.Request>> batches = new ArrayList<>();
        // 4 of 5 seeds succeed at the threshold, 5 of 5 one above it; 4 are required
        MinimalWidth.Prober fake = batch -> {
            batches.add(batch);
            return batch.stream().mapToInt(r -> r.width() < threshold.get(r.n()) ? 3
                    : r.width() == threshold.get(r.n()) ? 4 : 5).toArray();
        };
        var searches = MinimalWidth.search(List.of(4, 8, 16), () -> new WidthSearch(1, 2, 64, 0), 5, 4, fake, l -> { });
        assertEquals(3, searches.get(4).minimalWidth().getAsInt());
        assertEquals(9, searches.get(8).minimalWidth().getAsInt());
        assertEquals(WidthSearch.Status.NOT_REACHED, searches.get(16).status());
        assertEquals(List.of(4, 8, 16), batches.get(0).stream().map(MinimalWidth.Request::n).toList());
        for (List<MinimalWidth.Request> b : batches) {
            assertEquals(b.size(), b.stream().map(MinimalWidth.Request::n).distinct().count());
        }
        int probes = searches.values().stream().mapToInt(s -> s.probes().size()).sum();
        assertEquals(probes, batches.stream().mapToInt(List::size).sum(), "every width probed once");
        assertEquals(searches.values().stream().mapToInt(s -> s.probes().size()).max().getAsInt(), batches.size(),
                "the longest search sets the rounds");
        assertTrue(searches.get(8).probes().stream().allMatch(p -> p.seeds() == 5 && p.success() == (p.successes() >= 4)));
    }

    @Test
    void badSettingsAreOneLineInputErrors() {
        List<Runnable> bad = List.of(
                () -> spec(List.of(), 2, 0.5, 1, 64),
                () -> spec(List.of(4, 4), 2, 0.5, 1, 64),
                () -> spec(List.of(1, 4), 2, 0.5, 1, 64),
                () -> spec(List.of(4, 8), 0, 0.5, 1, 64),
                () -> spec(List.of(4, 8), 2, 1.0, 1, 64),
                () -> spec(List.of(4, 8), 2, -0.1, 1, 64),
                () -> spec(List.of(4, 8), 2, 0.5, 0, 64),
                () -> spec(List.of(4, 8), 2, 0.5, 8, 4),
                () -> new MinimalWidth.Spec(base(), "sphere:d=3", List.of(4), 1, 2, 0.5, 0.0, 1, 2, 64, 0.05),
                () -> new MinimalWidth.Spec(base(), "sphere:d=3", List.of(4), 1, 2, 0.5, 1e-3, 1, 1.0, 64, 0.05),
                () -> new MinimalWidth.Spec(base(), "sphere:d=3", List.of(4), 1, 2, 0.5, 1e-3, 1, 2, 64, 1.0),
                () -> new MinimalWidth.Spec(base(), "sphere:d=3", List.of(4), 0, 2, 0.5, 1e-3, 1, 2, 64, 0.05),
                () -> new MinimalWidth.Spec(base(), "sphere:n=5,d=3", List.of(4), 1, 2, 0.5, 1e-3, 1, 2, 64, 0.05),
                () -> new MinimalWidth.Spec(base(), "npy:x=a.npy", List.of(4), 1, 2, 0.5, 1e-3, 1, 2, 64, 0.05));
        for (Runnable r : bad) {
            InputError e = assertThrows(InputError.class, r::run);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theTemplateGetsNFirst() {
        assertEquals("sphere:n=8,d=10", MinimalWidth.dataset("sphere:d=10", 8));
        assertEquals("margin:n=8,d=3,gamma=0.1", MinimalWidth.dataset("margin:d=3,gamma=0.1", 8));
    }

    /**
     * Real runs (n = 4 on the sphere in d = 6, widths ≤ 16, 150 steps, 2 seeds): the whole search is in
     * the store afterwards; deleting some stored probes and searching again trains exactly those and gives the
     * same result.
     */
    @Test
    void aSearchResumesFromTheStoreAndRetrainsOnlyWhatIsMissing() {
        MinimalWidth.Spec s = new MinimalWidth.Spec(base(), "sphere:d=6", List.of(4), 1, 2, 0.5, 1e-2, 1, 2, 16, 0);
        Path runs = tmp.resolve("runs");
        MinimalWidth.Result first;
        try (ResultsStore store = ResultsStore.open(tmp.resolve("r.duckdb"))) {
            first = MinimalWidth.execute(s, store, 2, runs, l -> { });
            int probes = first.perN().stream().mapToInt(a -> a.probes().size()).sum();
            assertEquals(2 * probes, first.trained());
            assertEquals(0, first.fromStore());
            assertEquals((long) first.trained(), SweepRunTest.one(store, "SELECT count(*) FROM runs"));
            for (MinimalWidth.AtN a : first.perN()) {
                assertNotNull(a.minimalWidth(), "n = " + a.n() + ": " + a.status());
                assertEquals(2, a.memorizers().size());
                assertTrue(a.memorizers().stream().allMatch(MinimalWidth.Memorizer::fits));
                assertEquals((long) (6 + 1) * a.minimalWidth(), a.gdParameters(), "d*m + m*1 without biases");
            }
            int deleted = store.update("DELETE FROM runs WHERE (config->>'seed') = '1' AND (config->>'dataset') LIKE 'sphere:n=4,%'");
            assertTrue(deleted > 0);
            MinimalWidth.Result again = MinimalWidth.execute(s, store, 2, runs, l -> { });
            assertEquals(deleted, again.trained());
            assertEquals(first.trained() - deleted, again.fromStore());
            assertEquals(first.perN().stream().map(MinimalWidth.AtN::minimalWidth).toList(),
                    again.perN().stream().map(MinimalWidth.AtN::minimalWidth).toList());
            assertNull(again.fit(), "one n: no fit");
            assertTrue(again.fitNote().startsWith("not enough points"), again.fitNote());
        }
    }

    static RunConfig base() {
        Map<String, Object> m = RunConfig.defaults().toMap();
        m.put("parameterization", "ntk");
        m.put("bias", false);
        m.put("lr", 10.0);
        m.put("steps", 150L);
        m.put("record_every", 150);
        return RunConfig.fromMap(m, "test");
    }

    static MinimalWidth.Spec spec(List<Integer> ns, int seeds, double delta, int m0, int cap) {
        return new MinimalWidth.Spec(base(), "sphere:d=3", ns, 1, seeds, delta, 1e-3, m0, 2, cap, 0.05);
    }

    @Test
    void aFitThatExplainsLittleComparesNothingWithTheTheorems() {
        // issue 13: exponents were compared with theory from fits with R^2 = 0.08
        org.overparam.stats.LogLogFit scatter = org.overparam.stats.LogLogFit.of(new double[] {50, 100, 200, 400},
                new double[] {4, 9, 5, 6}, MinimalWidth.LEVEL);
        assertTrue(scatter.rSquared() < MinimalWidth.MIN_R2);
        assertFalse(MinimalWidth.trendSupported(scatter));
        assertTrue(MinWidthReport.comparison(scatter, 2).startsWith("no comparison"));
        org.overparam.stats.LogLogFit line = org.overparam.stats.LogLogFit.of(new double[] {50, 100, 200, 400},
                new double[] {5, 10, 21, 39}, MinimalWidth.LEVEL);
        assertTrue(MinimalWidth.trendSupported(line));
        assertEquals("below the interval", MinWidthReport.comparison(line, 0.5));
        org.overparam.stats.LogLogFit flat = org.overparam.stats.LogLogFit.of(new double[] {50, 100, 200, 400},
                new double[] {8, 8, 8, 8}, MinimalWidth.LEVEL);
        assertFalse(MinimalWidth.trendSupported(flat), "no variance, no trend");
    }

    /** Issue 13: a step budget that grows with n as Du et al.'s iteration count does (n^2), reaching the probes. */
    @Test
    void theStepBudgetCanGrowWithN() {
        MinimalWidth.Spec grown = new MinimalWidth.Spec(base(), "sphere:d=3", List.of(16, 4, 8), 1, 1, 0.0, 1e-3, 1, 2,
                64, 0.05, 2.0);
        assertEquals(150L, grown.steps(4));
        assertEquals(600L, grown.steps(8));
        assertEquals(2400L, grown.steps(16));
        RunConfig probe = MinimalWidth.probe(grown, 16, 8, 0, java.nio.file.Path.of("runs"));
        assertEquals(2400L, probe.training().steps());
        // exponent 0: the same budget, and the same probe (hash) as before the option existed
        MinimalWidth.Spec fixed = spec(List.of(4, 8), 1, 0.0, 1, 64);
        assertEquals(150L, MinimalWidth.probe(fixed, 8, 8, 0, java.nio.file.Path.of("runs")).training().steps());
        assertThrows(org.overparam.InputError.class, () -> new MinimalWidth.Spec(base(), "sphere:d=3", List.of(4), 1, 1,
                0.0, 1e-3, 1, 2, 64, 0.05, -1));
    }
}
