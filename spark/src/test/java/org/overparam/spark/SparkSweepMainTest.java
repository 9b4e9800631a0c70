package org.overparam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.Json;

/** {@code overparam-spark} end to end (each run starts and stops its own Spark {@code local[2]}) and its bad input. */
class SparkSweepMainTest {
    @TempDir
    Path tmp;

    /** No web UI in tests: it costs startup and competes for ports with other Spark JVMs on the machine. */
    @BeforeAll
    static void noUi() {
        System.setProperty("spark.ui.enabled", "false"); // SparkConf reads spark.* system properties
    }

    @AfterAll
    static void restore() {
        System.clearProperty("spark.ui.enabled");
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = SparkSweepMain.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(code, o.toString(), e.toString());
    }

    @Test
    void sweepsOnSparkAndPrintsOneJsonObject() throws IOException {
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), """
                base: {dataset: "sphere:n=10,d=3", steps: 10, hidden: "8"}
                grid: {seed: [0, 1, 2]}
                """);
        Run r = run(spec.toString(), "--db", tmp.resolve("r.duckdb").toString(), "--out", tmp.resolve("runs").toString(),
                "--master", "local[2]", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(1, lines.size(), r.out());
        Map<String, Object> m = Json.parseObject(lines.get(0), "stdout");
        assertEquals(3L, m.get("run"));
        assertEquals(0L, m.get("skipped"));
        assertEquals(3, ((List<?>) m.get("results")).size());
        assertTrue(r.err().startsWith("spark sweep: 3 runs on local[2]"), r.err());
    }

    @Test
    void aFailedRunIsExitTwoWithOneErrorLine() throws IOException {
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), """
                base: {steps: 5, hidden: "4"}
                grid: {dataset: ["sphere:n=10,d=3", "npy:x=nosuch-x.npy,y=nosuch-y.npy"]}
                """);
        Run r = run(spec.toString(), "--db", tmp.resolve("r.duckdb").toString(), "--out", tmp.resolve("runs").toString(),
                "--master", "local[2]");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.out().contains("1 run, 0 skipped") && r.out().contains("1 failed"), r.out());
        List<String> errors = r.err().lines().filter(l -> l.contains("error")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).startsWith("overparam-spark: error: 1 of 2 runs failed; first: ")
                && errors.get(0).contains("nosuch"), r.err());
    }

    @Test
    void badInputIsExitTwoWithOneLineAndStartsNoSpark() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "base: {dataset: \"sphere:n=10,d=3\"}\ngrid: {hidden: []}\n");
        Path good = Files.writeString(tmp.resolve("good.yaml"), "base: {dataset: \"sphere:n=10,d=3\", hidden: \"4\"}\n"
                + "grid: {seed: [0]}\n");
        for (String[] args : List.of(new String[] {bad.toString()},
                new String[] {tmp.resolve("missing.yaml").toString()},
                new String[] {good.toString(), "--master", "lokal[2]"},
                new String[] {good.toString(), "--master", "local[0]"},
                new String[] {good.toString(), "--workers", "2"},
                new String[] {})) {
            Run r = run(args);
            assertEquals(2, r.code(), List.of(args) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("overparam-spark: error: "), r.err());
            assertEquals("", r.out());
            // checked before Spark starts: no context was created (a wall-clock bound failed on loaded machines)
            assertTrue(org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty(), "a SparkContext started: " + List.of(args));
        }
    }
}
