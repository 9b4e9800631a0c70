package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Store rows to cells, on hand-made summaries: medians, ranges, and "did not fit" never becoming a time. */
class FitReductionTest {
    final RunConfig base = RunConfig.defaults().with(Map.of("dataset", "sphere:n=4,d=2", "steps", 1000,
            "stop_at_fit", true), "test");
    final List<GridPoint> points = new ArrayList<>();
    final Map<String, Map<String, Object>> store = new HashMap<>();

    /** A grid point for seed s of (curve, x) and, unless summary is null, its stored summary. */
    void run(String curve, double x, long seed, Map<String, Object> summary) {
        RunConfig c = base.with(Map.of("seed", seed, "sigma_w", Double.isNaN(x) ? 1.0 : x), "test");
        points.add(new GridPoint("", curve, x, c));
        if (summary != null) {
            store.put(ResultsStore.configHash(c), summary);
        }
    }

    static Map<String, Object> completed(Long stepsToFit, double testAccuracy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "completed");
        m.put("parameters", 41);
        m.put("steps_to_fit", stepsToFit);
        m.put("final_test_accuracy", testAccuracy);
        return m;
    }

    @Test
    void allSeedsFit() {
        run("p", 0, 0, completed(300L, 0.9));
        run("p", 0, 1, completed(100L, 0.8));
        run("p", 0, 2, completed(200L, 0.7));
        FitCell c = FitReduction.reduce(points, store).get(0);
        assertEquals(3, c.seeds());
        assertEquals(3, c.fitted());
        assertEquals(200, c.steps().median());
        assertEquals(100, c.fittedSteps().min());
        assertEquals(300, c.fittedSteps().max());
        assertEquals(0.2, c.testError().median(), 1e-12);
        assertEquals(0.1, c.testError().min(), 1e-12);
        assertEquals(0.3, c.testError().max(), 1e-12);
        assertEquals(41, c.parameters());
        assertEquals("median 200, range 100–300 (3 of 3 seeds fit)", c.stepsText());
    }

    @Test
    void aMinorityThatDidNotFitRaisesTheMedianButIsNeverGivenATime() {
        run("p", 1, 0, completed(300L, 0.1));
        run("p", 1, 1, completed(null, 0.1));
        run("p", 1, 2, completed(500L, 0.1));
        FitCell c = FitReduction.reduce(points, store).get(0);
        assertEquals(2, c.fitted());
        assertEquals(1, c.didNotFit());
        assertEquals(500, c.steps().median()); // sorted: 300, 500, +inf
        assertEquals(Double.POSITIVE_INFINITY, c.steps().max());
        assertEquals(500, c.fittedSteps().max());
        assertTrue(c.stepsText().contains("1 of 3 seeds did not fit within 1000 steps"), c.stepsText());
        assertEquals(3, c.testError().count()); // measured at the end of the budget all the same
    }

    @Test
    void aMajorityThatDidNotFitLeavesTheMedianCensored() {
        run("p", 1, 0, completed(300L, 0.1));
        run("p", 1, 1, completed(null, 0.1));
        run("p", 1, 2, completed(null, 0.1));
        run("p", 1, 3, completed(400L, 0.1));
        FitCell c = FitReduction.reduce(points, store).get(0);
        assertEquals(Double.POSITIVE_INFINITY, c.steps().median()); // even count: (400 + inf) / 2
        assertTrue(c.stepsText().startsWith("median > 1000 (did not fit); 2 of 4 seeds"), c.stepsText());
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) c.toMap().get("steps_to_fit");
        assertNull(s.get("median"));
        assertEquals(true, s.get("median_censored"));
        assertEquals(300.0, s.get("min_of_fitted"));
    }

    @Test
    void noneFitDivergedAndFailedRunsAreCountedApart() {
        Map<String, Object> diverged = new LinkedHashMap<>();
        diverged.put("status", "diverged");
        diverged.put("parameters", 41);
        run("gauss", Double.NaN, 0, completed(null, 0.5));
        run("gauss", Double.NaN, 1, diverged);
        run("gauss", Double.NaN, 2, null); // failed: not in the store
        FitCell c = FitReduction.reduce(points, store).get(0);
        assertEquals(3, c.seeds());
        assertEquals(2, c.stored());
        assertEquals(1, c.diverged());
        assertEquals(0, c.fitted());
        assertEquals(2, c.didNotFit());
        assertEquals(1, c.testError().count());
        assertEquals("did not fit within 1000 steps (0 of 2 seeds, 1 diverged); 1 failed and are not counted",
                c.stepsText());
        assertFalse(c.allFit());
    }

    @Test
    void cellsKeepGridOrderAndRegressionUsesTheTargetLoss() {
        RunConfig reg = base.with(Map.of("stop_at_fit", false, "target_loss", 1e-3), "test");
        points.add(new GridPoint("b", "depth 2", 50, reg));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", "completed");
        s.put("steps_to_fit", null);
        s.put("steps_to_target", 70);
        s.put("final_test_loss", 0.25);
        store.put(ResultsStore.configHash(reg), s);
        run("p", 0, 0, completed(10L, 1.0));
        List<FitCell> cells = FitReduction.reduce(points, store);
        assertEquals(List.of("depth 2", "p"), cells.stream().map(c -> c.key().curve()).toList());
        assertEquals(70, cells.get(0).steps().median());
        assertTrue(cells.get(0).testErrorIsLoss());
        assertEquals(0.25, cells.get(0).testError().median());
    }

    @Test
    void smallestFittingCountNeedsOneMinusDeltaOfTheSeeds() {
        for (double x : new double[] {100, 200, 400}) {
            run("depth 1", x, 0, completed(x == 100 ? null : 50L, 1));
            run("depth 1", x, 1, completed(x == 400 ? 60L : null, 1));
        }
        List<FitCell> cells = FitReduction.reduce(points, store);
        FitCell.Key curve = new FitCell.Key("", "depth 1", Double.NaN);
        assertEquals(400, FitReduction.smallestFitting(cells, 0).get(curve).key().x());
        assertEquals(200, FitReduction.smallestFitting(cells, 0.5).get(curve).key().x());
        assertTrue(FitReduction.smallestFitting(FitReduction.reduce(points.subList(0, 2), store), 0).isEmpty());
    }

    @Test
    void spreadOfNothingIsNaN() {
        Spread s = Spread.of(new double[0]);
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.median()));
        assertEquals(new Spread(2, 2.5, 2, 3), Spread.of(new double[] {3, 2}));
    }
}
