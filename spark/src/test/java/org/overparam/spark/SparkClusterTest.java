package org.overparam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.SweepRun;
import org.overparam.experiment.SweepSpec;
import org.overparam.io.Json;

/**
 * Sweeps on a real Spark standalone cluster: a master and two 1-core workers on the loopback, started by
 * {@code spark/cluster.sh} (separate JVMs, from the Maven repository's Spark jars), the sweep submitted with
 * {@code cluster.sh submit} ({@code SparkSubmit} of {@code overparam-spark.jar}, client mode), its store compared
 * with the in-process sweep's bit for bit; the Nyström solver ({@code submit predict}) with K_nM's blocks on the
 * executors, its predictions compared with the in-process solver's bit for bit; then one worker killed with SIGKILL
 * mid-sweep.
 *
 * <p>It needs the packaged jar and the classpath files, so the spark module's POM runs it in a second Surefire
 * execution in the {@code integration-test} phase (after {@code package}), which sets
 * {@code overparam.spark.packaged}; elsewhere (a {@code -Dtest=SparkClusterTest} in the {@code test} phase) it
 * is skipped. No timing assertions: the bounds below only end a test that would otherwise hang.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    static final Path SCRIPT = Path.of("cluster.sh").toAbsolutePath();
    /** Ten minutes: a sweep on a loaded 2-core machine with JVM and Spark startups; only a hang reaches it. */
    static final long PROCESS_BOUND_S = 600;

    static Path dir;
    static String master;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(Boolean.getBoolean("overparam.spark.packaged"),
                "runs after 'package' (the spark module's integration-test phase): it submits target/overparam-spark.jar");
        dir = Files.createTempDirectory("overparam-spark-cluster");
        // a test JVM ended early (a Surefire timeout, a SIGTERM) must not leave the daemons running; after a normal
        // @AfterAll this finds nothing to stop
        Path d = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder("bash", SCRIPT.toString(), "stop", "--dir", d.toString()).start()
                        .waitFor(60, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // nothing more to do while the JVM exits
            }
        }));
        Result r = script("start", "--dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> out = r.out().strip().lines().toList();
        master = out.get(out.size() - 1);
        assertTrue(master.matches("spark://127\\.0\\.0\\.1:\\d+"), r.out());
        Result st = script("status", "--dir", dir.toString());
        assertEquals(0, st.code(), st.err());
        assertTrue(st.out().contains("worker1: running") && st.out().contains("worker2: running")
                && st.out().contains("master: running"), st.out());
        // a second start from the same folder is a user's mistake: one line, exit 2, the cluster untouched
        Result again = script("start", "--dir", dir.toString());
        assertEquals(2, again.code(), again.err());
        assertEquals(1, again.err().lines().count(), again.err());
        assertTrue(again.err().startsWith("cluster.sh: error: a cluster already runs from "), again.err());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (dir == null) {
            return;
        }
        Result r = script("stop", "--dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, script("status", "--dir", dir.toString()).code());
        // nothing of this cluster is left: neither daemons (their command line names the folder) nor executors
        // (their classpath is the folder's spark-home/jars)
        assertEquals(List.of(), processesNaming(dir.toString()));
        // the logs stay when a check above fails; they are only removed now
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @Order(1)
    void aSweepSubmittedToTheClusterStoresTheInProcessSweepsRowsBitForBit() throws Exception {
        SweepSpec s = SweepSpec.parse(SparkSweepTest.SPEC, "spec.yaml");
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), SparkSweepTest.SPEC);
        Path onCluster = tmp.resolve("cluster.duckdb");
        Submit sub = Submit.start(spec, onCluster, tmp.resolve("cluster-runs"), "--json");
        int code = sub.await();
        assertEquals(0, code, sub.err());
        // (a line of its own: Spark may warn before it on another machine)
        assertTrue(sub.err().lines().anyMatch(l -> l.startsWith("spark sweep: 4 runs on " + master + ",")), sub.err());
        List<String> lines = Files.readString(sub.out).strip().lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        Map<String, Object> m = Json.parseObject(lines.get(0), "stdout");
        assertEquals(4L, m.get("run"));

        Path local = tmp.resolve("local.duckdb");
        SweepRun.Counts a = SweepRun.execute(s, local, 2, tmp.resolve("local-runs"), l -> { });
        assertEquals(4, a.run());
        SparkSweepTest.assertSameStore(local, onCluster);
        // the master gave the application both workers: each launched an executor for it
        for (String w : List.of("worker1", "worker2")) {
            try (Stream<Path> apps = Files.list(dir.resolve("work").resolve(w))) {
                assertTrue(apps.anyMatch(p -> p.getFileName().toString().startsWith("app-")), w + " ran no executor");
            }
        }
    }

    /**
     * {@code cluster.sh submit predict ...}: the Nyström solver with K_nM's blocks on the two workers' executors gives
     * the in-process predictions bit for bit ({@link SparkPredictTest#assertSamePredictions}).
     */
    @Test
    @Order(2)
    void kernelRegressionSubmittedToTheClusterPredictsWhatTheInProcessSolverDoes() throws Exception {
        List<String> args = new ArrayList<>(List.of("predict"));
        args.addAll(List.of(SparkPredictTest.COMMON));
        args.addAll(List.of("--out", tmp.resolve("cluster").toString()));
        Submit sub = Submit.start(args, tmp.resolve("predict.out"));
        int code = sub.await();
        assertEquals(0, code, sub.err());
        assertTrue(Files.readString(sub.out).contains("solver.iterations"), Files.readString(sub.out));
        List<String> local = new ArrayList<>(List.of("predict"));
        local.addAll(List.of(SparkPredictTest.COMMON));
        local.addAll(List.of("--out", tmp.resolve("local").toString()));
        SparkPredictTest.Run r = SparkPredictTest.inProcess(local.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        SparkPredictTest.assertSamePredictions(tmp.resolve("local/predictions.npz"),
                tmp.resolve("cluster/predictions.npz"));
    }

    /** Eight runs of a few seconds each on one thread: long enough that a kill after the first lands mid-sweep. */
    static final String LONG_SPEC = """
            base: {dataset: "sphere:n=100,d=10", steps: 1500, lr: 0.5, record_every: 100, hidden: "512"}
            grid: {seed: [0, 1, 2, 3, 4, 5, 6, 7]}
            metrics: [final_loss, distance_from_init]
            """;

    @Test
    @Order(3) // last: it leaves the cluster with one worker
    void aWorkerKilledMidSweepLosesNoRunAndTheSweepCompletesOnTheOther() throws Exception {
        Path spec = Files.writeString(tmp.resolve("long.yaml"), LONG_SPEC);
        Path onCluster = tmp.resolve("cluster.duckdb");
        Submit sub = Submit.start(spec, onCluster, tmp.resolve("cluster-runs"));
        // wait for the first stored run (the driver logs "done" after the insert), then SIGKILL worker 1
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_BOUND_S);
        while (sub.done() == 0 && sub.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int doneAtKill = sub.done();
        assertTrue(doneAtKill >= 1, "no run finished before the job ended: " + sub.err());
        long worker = Long.parseLong(Files.readString(dir.resolve("worker1.pid")).strip());
        ProcessHandle h = ProcessHandle.of(worker).orElseThrow();
        assertTrue(h.destroyForcibly(), "SIGKILL to worker 1 (pid " + worker + ")"); // SIGKILL on Linux
        h.onExit().get(60, TimeUnit.SECONDS);
        assertTrue(doneAtKill < 8, "every run had finished before the kill: not mid-sweep");

        int code = sub.await();
        System.err.println("SparkClusterTest: worker 1 killed after " + doneAtKill + " of 8 runs; the driver's log:\n"
                + sub.err());
        assertEquals(0, code, sub.err());
        assertEquals(8, sub.done(), sub.err());
        assertTrue(Files.readString(sub.out).contains("8 run, 0 skipped"), Files.readString(sub.out));
        // the master saw the worker go (and the sweep went on on the other one)
        assertTrue(Files.readString(dir.resolve("master.log")).contains("Removing worker"), "master.log");
        Result st = script("status", "--dir", dir.toString());
        assertTrue(st.out().contains("worker1: not running") && st.out().contains("worker2: running"), st.out());

        Path local = tmp.resolve("local.duckdb");
        SweepRun.execute(SweepSpec.parse(LONG_SPEC, "long.yaml"), local, 2, tmp.resolve("local-runs"), l -> { });
        SparkSweepTest.assertSameStore(local, onCluster, 8, 1501); // the series holds every step
    }

    /** A running {@code cluster.sh submit}: standard output to a file, standard error read line by line. */
    static final class Submit {
        final Process process;
        final Path out;
        final List<String> err = Collections.synchronizedList(new ArrayList<>());
        final Thread reader;

        private Submit(Process process, Path out) {
            this.process = process;
            this.out = out;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        err.add(l);
                    }
                } catch (IOException e) {
                    err.add("(reading the driver's standard error failed: " + e + ")");
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Submit start(Path spec, Path db, Path runs, String... more) throws IOException {
            List<String> args = new ArrayList<>(List.of(spec.toString(), "--db", db.toString(), "--out", runs.toString()));
            args.addAll(List.of(more));
            return start(args, db.resolveSibling(db.getFileName() + ".out"));
        }

        /** {@code cluster.sh submit ARGS}, standard output to {@code out}. */
        static Submit start(List<String> args, Path out) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "submit", "--dir", dir.toString()));
            cmd.addAll(args);
            return new Submit(new ProcessBuilder(cmd).redirectOutput(out.toFile()).start(), out);
        }

        /** Runs stored so far (the driver's "done" progress lines). */
        int done() {
            synchronized (err) {
                return (int) err.stream().filter(l -> l.matches("(\\[[^]]*\\] )?done .*")).count();
            }
        }

        String err() {
            synchronized (err) {
                return String.join("\n", err);
            }
        }

        int await() throws Exception {
            if (!process.waitFor(PROCESS_BOUND_S, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the submitted sweep did not end within " + PROCESS_BOUND_S + " s:\n" + err());
            }
            reader.join(TimeUnit.SECONDS.toMillis(60));
            return process.exitValue();
        }
    }

    record Result(int code, String out, String err) {
    }

    static Result script(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("cluster-sh", ".out");
        Path err = Files.createTempFile("cluster-sh", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(PROCESS_BOUND_S, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("cluster.sh " + List.of(args) + " did not end: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Live processes whose command line contains {@code s}, as "pid command". */
    static List<String> processesNaming(String s) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(s)).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
    }
}
