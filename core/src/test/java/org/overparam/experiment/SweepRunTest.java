package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.InputError;

/** Sweeps into a DuckDB store: expansion, hashing, storing, resume. Tiny problems (n = 10, width ≤ 16, 20 steps). */
class SweepRunTest {
    static final String SPEC = """
            base:
              dataset: "sphere:n=10,d=3"
              steps: 20
              lr: 0.5
              record_every: 5
            grid:
              hidden: ["8", "16"]
              seed: [0, 1]
            metrics: [final_loss, distance_from_init]
            """;

    @TempDir
    Path tmp;

    @Test
    void expandsTheCartesianProductWithOneThreadAndAFolderPerRun() {
        SweepSpec s = SweepSpec.parse(SPEC, "spec.yaml");
        List<RunConfig> cs = s.expand(tmp.resolve("runs"));
        assertEquals(4, cs.size());
        assertEquals(List.of("8", "8", "16", "16"), cs.stream().map(c -> c.network().hidden().text()).toList());
        assertEquals(List.of(0L, 1L, 0L, 1L), cs.stream().map(RunConfig::seed).toList());
        for (RunConfig c : cs) {
            assertEquals(1, c.threads());
            assertEquals(0.5, c.training().lr());
            assertEquals(tmp.resolve("runs").resolve(ResultsStore.configHash(c).substring(0, 16)).toString(), c.out());
        }
        assertEquals(4, cs.stream().map(ResultsStore::configHash).distinct().count());
    }

    @Test
    void theHashIgnoresOutAndThreadsButNotResults() {
        RunConfig a = SweepSpec.parse(SPEC, "s").expand(tmp).get(0);
        var m = a.toMap();
        m.put("out", "elsewhere");
        m.put("threads", 7);
        assertEquals(ResultsStore.configHash(a), ResultsStore.configHash(RunConfig.fromMap(m, "t")));
        m.put("lr", 0.25);
        assertNotEquals(ResultsStore.configHash(a), ResultsStore.configHash(RunConfig.fromMap(m, "t")));
        assertEquals(64, ResultsStore.configHash(a).length());
    }

    @Test
    void badSpecsAreOneLineInputErrors() {
        for (String bad : List.of("base: [1", "grid: {hidden: []}", "base: {widht: 3}\ngrid: {seed: [0]}",
                "grid: {seed: 3}", "grid: {nope: [1]}", "grid: {seed: [0]}\nextra: 1", "grid: {threads: [1, 2]}",
                "base: {seed: 0}\ngrid: {seed: [0]}", "grid: {seed: [0]}\nmetrics: [bogus]", "grid: {steps: [x]}", "- a")) {
            InputError e = assertThrows(InputError.class, () -> SweepSpec.parse(bad, "spec.yaml"), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("spec.yaml"), e.getMessage());
        }
    }

    @Test
    void storesEveryRunWithItsSeriesResumesAndRerunsADeletedRow() {
        SweepSpec s = SweepSpec.parse(SPEC, "spec.yaml");
        Path db = tmp.resolve("r.duckdb");
        Path runs = tmp.resolve("runs");
        SweepRun.Counts c = SweepRun.execute(s, db, 2, runs, l -> { });
        assertEquals(List.of(), c.failed());
        assertEquals(4, c.run());
        assertEquals(0, c.skipped());
        double lossOfFirst;
        String first = ResultsStore.configHash(s.expand(runs).get(0));
        try (ResultsStore st = ResultsStore.open(db)) {
            assertEquals(4L, one(st, "SELECT count(*) FROM runs"));
            // every step's loss (0..20), the gradient norm and distance at record steps only
            assertEquals(4L * 21, one(st, "SELECT count(*) FROM series"));
            assertEquals(4L * 5, one(st, "SELECT count(*) FROM series WHERE distance IS NOT NULL"));
            assertEquals(4L, one(st, "SELECT count(*) FROM runs WHERE status = 'completed' AND final_loss < initial_loss"));
            assertEquals(Set.of("8", "16"), st.query("SELECT config->>'hidden' FROM runs").rows().stream()
                    .map(r -> r.get(0).toString()).collect(Collectors.toSet()));
            assertTrue(st.isDone(first));
            lossOfFirst = (Double) one(st, "SELECT final_loss FROM runs WHERE config_hash = '" + first + "'");
        }
        // resume: nothing to do
        c = SweepRun.execute(s, db, 2, runs, l -> { });
        assertEquals(0, c.run());
        assertEquals(4, c.skipped());
        try (ResultsStore st = ResultsStore.open(db)) {
            assertEquals(4L, one(st, "SELECT count(*) FROM runs"));
            assertEquals(4L * 21, one(st, "SELECT count(*) FROM series"));
            st.update("DELETE FROM series WHERE config_hash = '" + first + "'");
            st.update("DELETE FROM runs WHERE config_hash = '" + first + "'");
            assertFalse(st.isDone(first));
        }
        c = SweepRun.execute(s, db, 1, runs, l -> { });
        assertEquals(1, c.run());
        assertEquals(3, c.skipped());
        try (ResultsStore st = ResultsStore.open(db)) {
            assertEquals(4L, one(st, "SELECT count(*) FROM runs"));
            assertEquals(4L * 21, one(st, "SELECT count(*) FROM series"));
            // one BLAS thread per run: the rerun (on 1 worker) repeats the first (on 2) bit for bit
            assertEquals(lossOfFirst, (Double) one(st, "SELECT final_loss FROM runs WHERE config_hash = '" + first + "'"));
        }
    }

    @Test
    void aFailingRunIsReportedAndNotStored() {
        SweepSpec s = SweepSpec.parse("""
                base: {steps: 5}
                grid: {dataset: ["sphere:n=10,d=3", "npy:x=no-such-x.npy,y=no-such-y.npy"]}
                """, "s");
        Path db = tmp.resolve("f.duckdb");
        SweepRun.Counts c = SweepRun.execute(s, db, 1, tmp.resolve("runs"), l -> { });
        assertEquals(1, c.run());
        assertEquals(1, c.failed().size());
        assertFalse(c.failed().get(0).reason().contains("\n"));
        try (ResultsStore st = ResultsStore.open(db)) {
            assertEquals(1L, one(st, "SELECT count(*) FROM runs"));
        }
    }

    @Test
    void aBadNameInTheGridIsRefusedWhenTheSpecIsReadNamingItsField() {
        var e = assertThrows(org.overparam.InputError.class, () -> SweepSpec.parse("""
                base: {dataset: "sphere:n=10,d=3", steps: 5}
                grid: {activation: [relu, nosuch]}
                """, "s"));
        assertTrue(e.getMessage().startsWith("s: network.activation: unknown activation 'nosuch'"), e.getMessage());
    }

    static Object one(ResultsStore st, String sql) {
        return st.query(sql).rows().get(0).get(0);
    }
}
