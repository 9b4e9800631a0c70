package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.ResultsStore;
import org.overparam.io.Json;

/**
 * The sweep's resume promise under the harshest stop: a separate JVM runs a sweep and is killed with SIGKILL
 * (no shutdown hooks, no finally blocks) after a few runs have finished; rerunning the same spec keeps every
 * run stored before the kill exactly once and completes the rest.
 */
class SweepKillTest {
    static final int RUNS = 8;
    static final String SPEC = """
            base:
              dataset: "sphere:n=60,d=8"
              steps: 1500
              lr: 0.3
            grid:
              hidden: ["48", "64"]
              seed: [0, 1, 2, 3]
            """;

    @TempDir
    Path tmp;

    @Test
    void aSweepKilledMidwayResumesWithEveryFinishedRunKeptOnce() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), SPEC);
        Path db = tmp.resolve("r.duckdb");
        Path out = tmp.resolve("runs");
        ProcessBuilder pb = CliRuns.childJvm("sweep", spec.toString(), "--db", db.toString(), "--out", out.toString(), "--workers", "1");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> seen = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                seen.add(line);
                if (seen.stream().filter(l -> l.matches("(\\[[^]]*\\] )?done .*")).count() == 3) {
                    break;
                }
            }
            p.destroyForcibly(); // SIGKILL on Linux
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed sweep did not exit");
        }
        assertEquals(3, seen.stream().filter(l -> l.matches("(\\[[^]]*\\] )?done .*")).count(), String.join("\n", seen));
        assertEquals(137, p.exitValue(), "killed by SIGKILL (128 + 9), not finished normally");

        Set<String> before = hashes(db);
        assertTrue(before.size() >= 3 && before.size() < RUNS, "runs stored at the kill: " + before.size());

        CliRuns.Run r = CliRuns.run("sweep", spec.toString(), "--db", db.toString(), "--out", out.toString(), "--workers",
                "2", "--json");
        Map<String, Object> m = CliRuns.json(r);
        assertEquals(RUNS, ((Number) m.get("total")).intValue());
        assertEquals(before.size(), ((Number) m.get("skipped")).intValue(), "the runs stored before the kill are skipped");
        assertEquals(RUNS - before.size(), ((Number) m.get("run")).intValue(), "the rest are run");

        try (ResultsStore s = ResultsStore.openReadOnly(db)) {
            assertEquals(List.of(List.of((Object) (long) RUNS, (Object) (long) RUNS)),
                    s.query("SELECT count(*), count(DISTINCT config_hash) FROM runs").rows().stream()
                            .map(row -> row.stream().map(v -> (Object) ((Number) v).longValue()).toList()).toList());
            // every run has its whole series (1500 steps + the final record), none duplicated by the rerun
            assertEquals(0L, ((Number) s.query("SELECT count(*) FROM (SELECT config_hash, count(*) AS c FROM series"
                    + " GROUP BY config_hash) WHERE c <> 1501").rows().get(0).get(0)).longValue());
        }
        assertTrue(hashes(db).containsAll(before));
        // every run has its committed output folder; nothing half-written is left behind under a run's name
        try (var dirs = Files.list(out)) {
            List<Path> committed = dirs.filter(d -> !d.getFileName().toString().startsWith(".")).toList();
            assertEquals(RUNS, committed.size(), committed.toString());
            for (Path d : committed) {
                assertTrue(Files.isRegularFile(d.resolve("summary.json")), d.toString());
            }
        }
        assertEquals("completed", ((Map<?, ?>) Json.read(out.resolve(before.iterator().next().substring(0, 16))
                .resolve("summary.json"))).get("status"));
    }

    private static Set<String> hashes(Path db) throws IOException {
        try (ResultsStore s = ResultsStore.openReadOnly(db)) {
            Set<String> h = new HashSet<>();
            for (List<Object> row : s.query("SELECT config_hash FROM runs").rows()) {
                h.add((String) row.get(0));
            }
            return h;
        }
    }
}
