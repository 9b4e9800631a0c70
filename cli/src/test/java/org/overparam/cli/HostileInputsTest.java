package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.io.Npz;

/** Issue 11: inputs that ended in a stack trace (exit 1), ran until killed, or were silently misread. */
class HostileInputsTest {
    @TempDir
    Path tmp;

    private static void refused(CliRuns.Run r, String contains) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("overparam")).count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    /** A tiny sweep spec over the given seeds. */
    private Path sweepSpec(String seeds) throws IOException {
        return Files.writeString(tmp.resolve("s.yaml"), "base: {dataset: \"sphere:n=10,d=3\", hidden: \"4\", steps: 2, "
                + "lr: 0.1}\ngrid: {seed: " + seeds + "}\n");
    }

    /** A results store holding the spec's runs. */
    private Path storedSweep(Path spec) {
        Path db = tmp.resolve("r.duckdb");
        assertEquals(0, run("sweep", spec.toString(), "--db", db.toString(), "--out", tmp.resolve("runs").toString()).code());
        return db;
    }

    private Path checkpoint(String name, double[] step, int params, int initial) throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("step", NdArray.of(step, step.length));
        m.put("parameters", NdArray.of(new double[params], params));
        m.put("initial_parameters", NdArray.of(new double[initial], initial));
        m.put("velocity", NdArray.of(new double[0], 0));
        Path p = tmp.resolve(name);
        Npz.write(m, p);
        return p;
    }

    private CliRuns.Run resume(Path ck, String steps) {
        return run("train", "--dataset", "sphere:n=10,d=3", "--hidden", "4", "--no-bias", "--steps", steps, "--lr", "0.1",
                "--threads", "1", "--resume", ck.toString(), "--out", tmp.resolve("r-" + ck.getFileName()).toString());
    }

    @Test
    void brokenOrFinishedCheckpointsAreRefused() throws IOException {
        int p = 3 * 4 + 4; // 3-4-1 without biases
        refused(resume(checkpoint("empty-step.npz", new double[0], p, p), "5"), "'step'");
        refused(resume(checkpoint("negative.npz", new double[] {-5}, p, p), "5"), "'step'");
        refused(resume(checkpoint("short.npz", new double[] {1}, p, p - 3), "5"), "initial parameters");
        refused(resume(checkpoint("done.npz", new double[] {5}, p, p), "5"), "nothing to train");
        assertEquals(0, resume(checkpoint("ok.npz", new double[] {2}, p, p), "5").code());
    }

    @Test
    void numbersThatWouldWrapAreRefused() throws IOException {
        for (String kv : List.of("\"steps\": 1e300", "\"batch\": 4294967297", "\"seed\": 1.2e29", "\"steps\": 2.5")) {
            Path cfg = Files.writeString(tmp.resolve("c.json"), "{\"config\": {\"dataset\": \"sphere:n=10,d=3\", "
                    + "\"hidden\": \"4\", " + kv + ", \"out\": \"" + tmp.resolve("o") + "\"}}");
            refused(run("train", "--config", cfg.toString()), "whole number");
        }
        refused(run("train", "--dataset", "sphere:n=10,d=3", "--hidden", "4", "--steps", "9223372036854775807", "--out",
                tmp.resolve("o").toString()), "GB free");
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void absurdSizesAreRefusedBeforeAllocating() throws IOException {
        refused(run("kernel", "--depth", "1000000", "--dataset", "sphere:n=10,d=3"), "depth");
        refused(run("kernel", "--dataset", "sphere:n=200000000,d=10"), "n=200000000");
        refused(run("ntk", "--hidden", "8", "--dataset", "sphere:n=10,d=3", "--compare-infinite", "--mc-widths",
                "100000000"), "--mc-widths");
        Path empty = tmp.resolve("empty.npy");
        Npy.write(NdArray.of(new double[0], 0, 3), empty);
        refused(run("ntk", "--hidden", "8", "--data", empty.toString()), "at least one sample");
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        Npy.write(NdArray.of(new double[] {1, 0, 0, 1}, 2, 2), x);
        Npy.write(NdArray.of(new double[] {0, 2147483647}, 2), y);
        refused(run("train", "--data", x.toString(), "--labels", y.toString(), "--loss", "cross_entropy", "--hidden", "4",
                "--steps", "1", "--out", tmp.resolve("ce").toString()), "label 2147483647");
    }

    @Test
    void gridsPastTwoToTheSixtyThreeAreRefused() throws IOException {
        StringBuilder grid = new StringBuilder("grid: {");
        for (int k = 0; k < 7; k++) {
            grid.append(k == 0 ? "" : ", ").append(List.of("seed", "lr", "hidden", "momentum", "batch", "steps", "record_every").get(k))
                    .append(": [").append(String.join(", ", java.util.Collections.nCopies(1000, "1"))).append("]");
        }
        Path spec = Files.writeString(tmp.resolve("huge.yaml"), "base: {dataset: \"sphere:n=10,d=3\"}\n" + grid + "}\n");
        refused(run("sweep", spec.toString(), "--db", tmp.resolve("r.duckdb").toString(), "--out",
                tmp.resolve("runs").toString()), "2^63 or more");
        assertFalse(Files.exists(tmp.resolve("r.duckdb")), "no store is created for a refused sweep");
    }

    @Test
    void aTruncatedResultsStoreIsOneLineExitTwo() throws IOException {
        Path spec = sweepSpec("[0, 1]");
        Path db = storedSweep(spec);
        byte[] all = Files.readAllBytes(db);
        for (double f : new double[] {0.001, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9}) {
            Path t = tmp.resolve("t" + f + ".duckdb");
            Files.write(t, Arrays.copyOf(all, (int) (all.length * f)));
            CliRuns.Run r = run("sweep", spec.toString(), "--db", t.toString(), "--out", tmp.resolve("runs" + f).toString());
            assertTrue(r.code() == 0 || r.code() == 2, "truncated at " + f + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void cifarBatchNumbersPastTheIntRangeSortWithoutCrashing() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("cifar"));
        byte[] rec = new byte[3073];
        rec[0] = 3;
        Files.write(dir.resolve("data_batch_1.bin"), rec);
        rec[0] = 5;
        Files.write(dir.resolve("data_batch_99999999999.bin"), rec);
        CliRuns.Run r = run("kernel", "--dataset", "cifar10:dir=" + dir, "--kind", "hinf", "--json");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void controlCharactersFromInputsAreEscaped() {
        CliRuns.Run r = run("kernel", "--data", tmp.resolve("a\u001b[2Jb.npy").toString());
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("\u001b"), r.err());
        assertTrue(r.err().contains("\\u001b[2Jb"), r.err());
    }

    @Test
    void resultsQueriesCannotWriteFiles() throws IOException {
        Path db = storedSweep(sweepSpec("[0]"));
        Path leak = tmp.resolve("leak.csv");
        refused(run("results", db.toString(), "--sql", "COPY runs TO '" + leak + "'"), "query failed");
        refused(run("results", db.toString(), "--sql", "SELECT 1; COPY runs TO '" + leak + "'"), "one query");
        refused(run("results", db.toString(), "--sql", "COPY runs TO '" + leak + "'", "--parquet",
                tmp.resolve("x.parquet").toString()), "syntax error");
        assertFalse(Files.exists(leak));
        assertEquals(0, run("results", db.toString(), "--sql", "SELECT count(*) AS n FROM runs;").code());
    }

    @Test
    void aFailedWriteLeavesNoPartialFile() throws IOException {
        Path g = Files.createDirectory(tmp.resolve("G.npy"));
        Files.writeString(g.resolve("inside"), "x");
        refused(run("ntk", "--hidden", "8", "--dataset", "sphere:n=5,d=3", "--out", g.toString()), "cannot write");
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("G.npy"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aSweepThatStoresNothingLeavesNoEmptyStore() throws IOException {
        Path spec = Files.writeString(tmp.resolve("s.yaml"), "base: {dataset: \"npy:x=" + tmp.resolve("none.npy")
                + "\", hidden: \"4\", steps: 2}\ngrid: {seed: [0]}\n");
        assertEquals(2, run("sweep", spec.toString(), "--db", tmp.resolve("r.duckdb").toString(), "--out",
                tmp.resolve("runs").toString()).code());
        assertFalse(Files.exists(tmp.resolve("r.duckdb")));
    }

    /** While another process's sweep writes a store, results says so (DuckDB lets no one else open it). */
    @Test
    void resultsSaysWhenARunningSweepHoldsTheStore() throws Exception {
        Path spec = Files.writeString(tmp.resolve("long.yaml"), "base: {dataset: \"sphere:n=40,d=5\", hidden: \"128\", "
                + "steps: 200000, lr: 0.05, target_loss: 1e-300}\ngrid: {seed: [0]}\n");
        Path db = tmp.resolve("busy.duckdb");
        Process child = CliRuns.childJvm("sweep", spec.toString(), "--db", db.toString(), "--out", tmp.resolve("runs").toString(), "--workers", "1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            for (int i = 0; i < 1200 && !Files.exists(db) && child.isAlive(); i++) {
                Thread.sleep(50);
            }
            assertTrue(child.isAlive(), Files.readString(tmp.resolve("child.log")));
            refused(run("results", db.toString()), "being written by another process");
        } finally {
            child.destroy();
            child.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
        }
    }
}
