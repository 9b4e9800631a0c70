package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.InputError;

/** The store alone: a run and its series go in together or not at all; NaN is NULL; read-only opening. */
class ResultsStoreTest {
    @TempDir
    Path tmp;

    @Test
    void aRunAndItsSeriesAreOneTransaction() {
        RunConfig c = RunConfig.defaults();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", "completed");
        summary.put("initial_loss", 1.0);
        summary.put("final_loss", 0.5);
        summary.put("steps", 2L);
        List<ResultsStore.Point> series = List.of(new ResultsStore.Point(0, 1.0, 3.0, 0.0),
                new ResultsStore.Point(1, 0.7, Double.NaN, Double.NaN), new ResultsStore.Point(2, 0.5, 1.0, 0.2));
        Path db = tmp.resolve("s.duckdb");
        try (ResultsStore st = ResultsStore.open(db)) {
            st.insert(c, summary, series);
            assertTrue(st.isDone(ResultsStore.configHash(c)));
            assertEquals(3L, SweepRunTest.one(st, "SELECT count(*) FROM series"));
            assertEquals(1L, SweepRunTest.one(st, "SELECT count(*) FROM series WHERE grad_norm_sq IS NULL"));
            // the same config again violates the primary key: nothing of the second attempt is kept
            assertThrows(IllegalStateException.class, () -> st.insert(c, summary, series));
            assertEquals(1L, SweepRunTest.one(st, "SELECT count(*) FROM runs"));
            assertEquals(3L, SweepRunTest.one(st, "SELECT count(*) FROM series"));
            assertEquals("completed", SweepRunTest.one(st, "SELECT summary->>'status' FROM runs"));
        }
        try (ResultsStore ro = ResultsStore.openReadOnly(db)) {
            assertEquals(0.5, SweepRunTest.one(ro, "SELECT final_loss FROM runs"));
            assertThrows(InputError.class, () -> ro.update("DELETE FROM runs"));
        }
        InputError e = assertThrows(InputError.class, () -> ResultsStore.openReadOnly(tmp.resolve("missing.duckdb")));
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(tmp.resolve("missing.duckdb")));
    }

    @Test
    void stopOptionsAtTheirDefaultsLeaveTheHashOfOlderStoresUnchanged() {
        RunConfig c = RunConfig.defaults();
        String json = ResultsStore.canonicalJson(c);
        assertFalse(json.contains("target_loss") || json.contains("stop_at_fit"), json);
        Map<String, Object> m = c.toMap();
        m.put("target_loss", 1e-3);
        RunConfig set = RunConfig.fromMap(m, "test");
        assertTrue(ResultsStore.canonicalJson(set).contains("\"target_loss\":0.001"));
        assertFalse(ResultsStore.configHash(c).equals(ResultsStore.configHash(set)));
        m.put("target_loss", 0.0);
        m.put("stop_at_fit", true);
        assertFalse(ResultsStore.configHash(c).equals(ResultsStore.configHash(RunConfig.fromMap(m, "test"))));
    }
}
