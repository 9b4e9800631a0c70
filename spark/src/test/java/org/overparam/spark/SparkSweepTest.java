package org.overparam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.ResultsStore;
import org.overparam.experiment.SweepRun;
import org.overparam.experiment.SweepSpec;
import org.overparam.io.Json;

/**
 * Sweeps on Spark {@code local[2]}, started here in Surefire's JVM with no extra flags, against the in-process
 * sweep on the same spec: the same rows bit for bit, resume in both directions, failures reported. Tiny runs
 * (n = 10, width ≤ 16, 20 steps).
 */
class SparkSweepTest {
    /** Four runs: two widths crossed with two activations (so the executors build more than one kind of net). */
    static final String SPEC = """
            base: {dataset: "sphere:n=10,d=3", steps: 20, lr: 0.5, record_every: 5, seed: 3}
            grid: {hidden: ["8", "16"], activation: [relu, tanh]}
            metrics: [final_loss, distance_from_init]
            """;

    static JavaSparkContext spark;
    /** Spark tasks that ended successfully: proof that the runs went through Spark. */
    static final AtomicInteger tasks = new AtomicInteger();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        long t0 = System.nanoTime();
        spark = new JavaSparkContext(SparkSweep.conf("local[2]").set("spark.ui.enabled", "false"));
        System.err.printf("SparkSweepTest: Spark %s local[2] started in %.1f s (Java %s)%n", spark.version(),
                (System.nanoTime() - t0) / 1e9, System.getProperty("java.version"));
        spark.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                if (e.taskInfo().successful()) {
                    tasks.incrementAndGet();
                }
            }
        });
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void givesTheInProcessSweepsRowsBitForBitAndResumesEitherWay() throws InterruptedException {
        SweepSpec s = SweepSpec.parse(SPEC, "spec.yaml");
        Path local = tmp.resolve("local.duckdb");
        Path onSpark = tmp.resolve("spark.duckdb");
        SweepRun.Counts a = SweepRun.execute(s, local, 2, tmp.resolve("local-runs"), l -> { });
        int before = tasks.get();
        List<String> lines = new ArrayList<>();
        SweepRun.Counts b = SparkSweep.execute(spark, s, onSpark, tmp.resolve("spark-runs"), lines::add);
        assertEquals(List.of(), b.failed());
        assertEquals(4, b.run());
        assertEquals(0, b.skipped());
        assertEquals(4, lines.stream().filter(l -> l.matches("(\\[[^]]*\\] )?done .*")).count(), String.join("\n", lines));
        awaitTasks(before + 4);
        assertEquals(hashesAndLosses(a), hashesAndLosses(b));
        assertSameStore(local, onSpark);
        // every run wrote its own folder under --out, made absolute for the executors
        assertTrue(b.results().stream().allMatch(r -> Path.of((String) r.get("out")).isAbsolute()
                && Path.of((String) r.get("out")).resolve("summary.json").toFile().isFile()), b.results().toString());

        // a rerun on Spark, then in-process, finds every run stored and submits nothing
        int after = tasks.get();
        b = SparkSweep.execute(spark, s, onSpark, tmp.resolve("spark-runs"), l -> { });
        assertEquals(0, b.run());
        assertEquals(4, b.skipped());
        a = SweepRun.execute(s, onSpark, 2, tmp.resolve("local-runs"), l -> { });
        assertEquals(0, a.run());
        assertEquals(4, a.skipped());
        assertEquals(after, tasks.get());
        assertSameStore(local, onSpark);
    }

    @Test
    void finishesOnSparkASweepBegunInProcess() throws InterruptedException {
        SweepSpec s = SweepSpec.parse(SPEC, "spec.yaml");
        Path reference = tmp.resolve("ref.duckdb");
        SweepRun.execute(s, reference, 2, tmp.resolve("ref-runs"), l -> { });
        // the first half of the grid in-process (hidden 8), the rest on Spark
        SweepSpec half = SweepSpec.parse(SPEC.replace("[\"8\", \"16\"]", "[\"8\"]"), "half.yaml");
        assertEquals(2, half.size());
        Path mixed = tmp.resolve("mixed.duckdb");
        SweepRun.Counts a = SweepRun.execute(half, mixed, 2, tmp.resolve("runs"), l -> { });
        assertEquals(2, a.run());
        int before = tasks.get();
        SweepRun.Counts b = SparkSweep.execute(spark, s, mixed, tmp.resolve("runs"), l -> { });
        assertEquals(2, b.run());
        assertEquals(2, b.skipped());
        awaitTasks(before + 2);
        assertSameStore(reference, mixed);
    }

    @Test
    void aRunFailingOnAnExecutorIsReportedAndNotStored() {
        SweepSpec s = SweepSpec.parse("""
                base: {steps: 5, hidden: "4"}
                grid: {dataset: ["sphere:n=10,d=3", "npy:x=nosuch-x.npy,y=nosuch-y.npy"]}
                """, "s");
        Path db = tmp.resolve("f.duckdb");
        SweepRun.Counts c = SparkSweep.execute(spark, s, db, tmp.resolve("runs"), l -> { });
        assertEquals(1, c.run());
        assertEquals(1, c.failed().size());
        assertTrue(c.failed().get(0).reason().contains("nosuch"), c.failed().get(0).reason());
        assertFalse(c.failed().get(0).reason().contains("\n"));
        try (ResultsStore st = ResultsStore.open(db)) {
            assertEquals(1L, st.query("SELECT count(*) FROM runs").rows().get(0).get(0));
        }
    }

    /**
     * Task-end events reach listeners asynchronously: wait until {@code n} tasks have ended. The bound is generous
     * (2 min) because a loaded machine delays the listener bus; it only ends a test that would otherwise hang.
     */
    static void awaitTasks(int n) throws InterruptedException {
        for (int i = 0; i < 2400 && tasks.get() < n; i++) {
            Thread.sleep(50);
        }
        assertEquals(n, tasks.get(), "Spark tasks that ended");
    }

    static List<List<Object>> hashesAndLosses(SweepRun.Counts c) {
        return c.results().stream().map(r -> List.of(r.get("config_hash"), r.get("final_loss"), r.get("distance_from_init")))
                .sorted((x, y) -> ((String) x.get(0)).compareTo((String) y.get(0))).toList();
    }

    /**
     * Both stores hold the same runs: config, status, losses (bit for bit: DuckDB DOUBLEs compared as Java
     * doubles), steps, the whole series, and the summary but for what differs between two runs of the same
     * config (wall time, output folder).
     */
    static void assertSameStore(Path a, Path b) {
        assertSameStore(a, b, 4, 21);
    }

    /** {@link #assertSameStore(Path, Path)} for a sweep of {@code n} runs with {@code points} series rows each. */
    static void assertSameStore(Path a, Path b, int n, int points) {
        String runs = "SELECT config_hash, config, status, final_loss, initial_loss, steps FROM runs ORDER BY config_hash";
        String series = "SELECT config_hash, step, loss, grad_norm_sq, distance FROM series ORDER BY config_hash, step";
        String summaries = "SELECT summary FROM runs ORDER BY config_hash";
        try (ResultsStore x = ResultsStore.open(a); ResultsStore y = ResultsStore.open(b)) {
            List<List<Object>> rx = x.query(runs).rows();
            assertEquals(n, rx.size());
            assertEquals(rx, y.query(runs).rows());
            List<List<Object>> sx = x.query(series).rows();
            assertEquals(n * points, sx.size());
            assertEquals(sx, y.query(series).rows());
            assertEquals(comparable(x.query(summaries).rows()), comparable(y.query(summaries).rows()));
        }
    }

    static List<Map<String, Object>> comparable(List<List<Object>> summaries) {
        return summaries.stream().map(r -> {
            Map<String, Object> m = Json.parseObject(r.get(0).toString(), "summary");
            m.keySet().removeAll(List.of("seconds", "seconds_per_step", "output_folder", "provenance"));
            return m;
        }).toList();
    }
}
