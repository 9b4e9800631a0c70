package org.overparam.cli;

import static org.overparam.cli.CliRuns.run;
import org.overparam.cli.CliRuns.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.Json;

/** {@code overparam sweep} and {@code overparam results} end to end on a 4-run grid (n = 10, width ≤ 16, 20 steps). */
class SweepCliTest {
    static final String SPEC = """
            base:
              dataset: "sphere:n=10,d=3"
              steps: 20
              lr: 0.5
            grid:
              hidden: ["8", "16"]
              seed: [0, 1]
            """;

    @TempDir
    Path tmp;

    @Test
    void sweepsResumesAndQueries() throws IOException {
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), SPEC);
        String db = tmp.resolve("r.duckdb").toString();
        String out = tmp.resolve("runs").toString();
        Run r = run("sweep", spec.toString(), "--db", db, "--workers", "2", "--out", out, "--json");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        assertEquals(4L, ((Number) m.get("run")).longValue());
        assertEquals(0L, ((Number) m.get("skipped")).longValue());
        assertEquals(4, ((List<?>) m.get("results")).size());
        assertTrue(((Number) m.get("seconds")).doubleValue() > 0, "the executor's wall time: " + m);
        assertEquals(4, Files.list(tmp.resolve("runs")).count());

        r = run("sweep", spec.toString(), "--db", db, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("0 run, 4 skipped"), r.out());

        r = run("results", db, "--sql", "SELECT count(*) AS n FROM runs WHERE final_loss < initial_loss");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("n", "4", "(1 row)"), r.out().lines().toList());

        r = run("results", db);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().findFirst().orElseThrow().startsWith("run "), r.out());
        assertTrue(r.out().contains("final_loss") && r.out().contains("(4 rows)"), r.out());

        Path csv = tmp.resolve("series.csv");
        r = run("results", db, "--sql", "SELECT config_hash, step, loss FROM series ORDER BY config_hash, step",
                "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("config_hash,step,loss", lines.get(0));
        assertEquals(1 + 4 * 21, lines.size());

        // Parquet: a real Parquet file (magic "PAR1" at both ends) whose rows read back equal the query's
        Path pq = tmp.resolve("export/series.parquet");
        r = run("results", db, "--sql", "SELECT config_hash, step, loss FROM series ORDER BY config_hash, step;",
                "--parquet", pq.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote 84 rows to " + pq, r.out().strip());
        byte[] bytes = Files.readAllBytes(pq);
        assertEquals("PAR1", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(bytes, bytes.length - 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
        String back = "SELECT count(*) AS n, sum(loss) AS s FROM read_parquet('" + pq + "')";
        String orig = "SELECT count(*) AS n, sum(loss) AS s FROM series";
        assertEquals(run("results", db, "--sql", orig).out(), run("results", db, "--sql", back).out());
        // a failing export leaves nothing behind
        Path bad = tmp.resolve("export/bad.parquet");
        r = run("results", db, "--sql", "SELECT nosuchcolumn FROM runs", "--parquet", bad.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("series.parquet"), Files.list(tmp.resolve("export")).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void badInputIsExitTwoWithOneLine() throws IOException {
        Path spec = Files.writeString(tmp.resolve("bad.yaml"), "base: {dataset: \"sphere:n=10,d=3\"}\ngrid: {hidden: []}\n");
        for (String[] args : List.of(
                new String[] {"sweep", spec.toString(), "--db", tmp.resolve("x.duckdb").toString()},
                new String[] {"sweep", tmp.resolve("missing.yaml").toString()},
                new String[] {"results", tmp.resolve("missing.duckdb").toString()})) {
            Run r = run(args);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("overparam: error: "), r.err());
        }
        Path good = Files.writeString(tmp.resolve("good.yaml"), "base: {dataset: \"sphere:n=10,d=3\", steps: 2, hidden: \"4\"}\n"
                + "grid: {seed: [0]}\n");
        String db = tmp.resolve("g.duckdb").toString();
        assertEquals(0, run("sweep", good.toString(), "--db", db, "--out", tmp.resolve("g").toString()).code());
        Run r = run("results", db, "--sql", "SELECT nosuchcolumn FROM runs");
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
