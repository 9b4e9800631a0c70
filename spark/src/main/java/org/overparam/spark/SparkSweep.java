package org.overparam.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.overparam.experiment.ResultsStore;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.SweepRun;
import org.overparam.experiment.SweepSpec;
import org.overparam.io.Json;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * {@link SweepRun} on Apache Spark: the same plan (grid points whose config hash is already in the store are
 * skipped), each remaining run one Spark task on one BLAS thread ({@link RunTask}), and each finished run
 * stored on the driver, in the same {@link ResultsStore}, as soon as its task finishes ({@link SweepRun.Tally}),
 * so a killed Spark sweep loses no finished run and a rerun, on Spark or in-process, resumes it.
 *
 * <p>One job with one partition per run, submitted asynchronously, its results handed to this thread as each
 * task finishes. Why one job and not one job per run: Spark's task scheduler then fills every free core of
 * every executor the moment a task ends (no driver-side pool to size to a cluster whose cores may change, no
 * per-job scheduling delay between runs), and the per-task result handler streams the runs back in the order
 * they finish. The handler runs on Spark's scheduler thread, so it only queues the result; the inserts
 * happen here. The job's results all count toward {@code spark.driver.maxResultSize} (default 1g) even
 * though none is kept: {@link #conf} lifts that limit; a caller bringing its own context should too for sweeps
 * whose series add up to more.
 *
 * <p>Paths: the runs' folders ({@code outDir/<hash prefix>}) are written by the executors, so on a cluster
 * {@code outDir} must be on a file system every worker shares; it is made absolute here because executors
 * have working directories of their own. The database is only ever opened on the driver.
 */
public final class SparkSweep {
    /** How long the driver waits for a result before checking whether the job died. */
    private static final long POLL_MS = 200;

    private SparkSweep() {
    }

    /**
     * The Spark configuration a sweep starts with: {@code master} when given, else the one spark-submit set,
     * else {@code local[*]}; no limit on the results' total size (see the class comment); in local mode the
     * driver on the loopback address, since nothing outside the JVM talks to it and a host name that does not
     * resolve must not stop a local sweep; on a cluster without spark-submit, this jar shipped to the executors.
     */
    public static SparkConf conf(String master) {
        return conf(master, "overparam sweep");
    }

    /** {@link #conf(String)} for an application of another name. */
    static SparkConf conf(String master, String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else {
            conf.setIfMissing("spark.master", "local[*]");
        }
        conf.setIfMissing("spark.driver.maxResultSize", "0");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else if (!conf.contains("spark.jars")) {
            // a plain java launch against a cluster (spark/overparam-spark --master spark://...): the executors
            // need our classes, which spark-submit would have shipped as the application's jar
            ownJar().ifPresent(j -> conf.set("spark.jars", j));
        }
        return conf;
    }

    /** The jar this class was loaded from (overparam-spark.jar), if it was loaded from a jar. */
    static java.util.Optional<String> ownJar() {
        try {
            java.security.CodeSource src = SparkSweep.class.getProtectionDomain().getCodeSource();
            Path p = src == null ? null : Path.of(src.getLocation().toURI());
            return p != null && p.toString().endsWith(".jar") ? java.util.Optional.of(p.toAbsolutePath().toString())
                    : java.util.Optional.empty();
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Runs the sweep on {@code spark} and returns what {@link SweepRun#execute} would: runs trained now, points
     * skipped, failures (not stored), the per-run results.
     *
     * @param log receives one line per finished or failed run, on this thread
     */
    public static SweepRun.Counts execute(JavaSparkContext spark, SweepSpec spec, Path dbFile, Path outDir,
            Consumer<String> log) {
        try (ResultsStore store = ResultsStore.open(dbFile)) {
            SweepRun.Plan plan = SweepRun.Plan.of(spec, outDir.toAbsolutePath(), store.doneHashes());
            SweepRun.Tally tally = new SweepRun.Tally(store, spec.metrics(), log).expect(plan.todo().size());
            if (!plan.todo().isEmpty()) {
                runAll(spark, plan.todo(), tally);
            }
            return tally.counts(plan);
        }
    }

    /** A task's result and the index of its run (= its partition). */
    private record Arrived(int run, RunResult result) {
    }

    @SuppressWarnings("unchecked")
    private static void runAll(JavaSparkContext spark, List<RunConfig> todo, SweepRun.Tally tally) {
        List<String> configs = new ArrayList<>(todo.size());
        List<Integer> partitions = new ArrayList<>(todo.size());
        for (RunConfig c : todo) {
            partitions.add(configs.size());
            configs.add(Json.writeCompact(c.toMap()));
        }
        JavaRDD<String> rdd = spark.parallelize(configs, configs.size());
        BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
        SimpleFutureAction<BoxedUnit> job = spark.sc().submitJob(rdd.rdd(), new RunTask(),
                (Seq<Object>) (Seq<?>) CollectionConverters.asScala(partitions).toSeq(),
                (i, r) -> {
                    arrived.add(new Arrived((Integer) i, r));
                    return BoxedUnit.UNIT;
                },
                () -> BoxedUnit.UNIT);
        int received = 0;
        try {
            while (received < todo.size()) {
                Arrived a = arrived.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (a == null) {
                    if (job.isCompleted()) {
                        failIfFailed(job);
                        if (arrived.isEmpty()) { // a job queues every task's result before it completes
                            throw new IllegalStateException("the Spark job ended with " + (todo.size() - received)
                                    + " results missing");
                        }
                    }
                    continue;
                }
                received++;
                RunConfig c = todo.get(a.run());
                if (a.result().failure() != null) {
                    tally.failed(c, a.result().failure());
                } else {
                    tally.record(c, a.result()::toTrained);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Spark sweep interrupted", e);
        } finally {
            if (!job.isCompleted()) {
                job.cancel();
            }
        }
    }

    private static void failIfFailed(SimpleFutureAction<BoxedUnit> job) {
        try {
            job.get();
        } catch (Exception e) {
            // a task failed with something other than a run's own failure, after Spark's retries: our bug or
            // the cluster's; the runs stored so far stay, a rerun resumes
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("the Spark job failed: " + first, e);
        }
    }
}
