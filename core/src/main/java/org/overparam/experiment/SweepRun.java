package org.overparam.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Network;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;

/**
 * Runs a {@link SweepSpec}: every grid point whose config hash is not yet in the {@link ResultsStore} is
 * trained ({@link TrainRun}) on one of {@code workers} threads and, once finished (completed or diverged),
 * written with its per-step series to the store in one transaction. Points already in the store are
 * skipped, so rerunning a killed or extended sweep resumes it.
 *
 * <p>Threads: OpenBLAS's thread count ({@link Blas#setThreads}) and the elementwise pool
 * ({@link Parallel#setThreads}) are process-global, so a sweep sets both to 1 once before it starts and every
 * run has {@code threads = 1}; the parallelism is across runs, one core per worker. (TrainRun sets the same
 * value 1 again at its start, which changes nothing.) After the sweep the thread counts stay at 1.
 */
public final class SweepRun {
    private SweepRun() {
    }

    /** A run that failed (not stored; rerunning the sweep tries it again). */
    public record Failure(String configHash, String out, String reason) {
    }

    /**
     * What a sweep did: runs trained now, grid points skipped (already stored or duplicates), failures, and the
     * wall time from the first run's start to the last one's store (the executor alone: no JVM start, no plan).
     */
    public record Counts(int total, int run, int skipped, List<Failure> failed, List<Map<String, Object>> results,
            double seconds) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", total);
            m.put("run", run);
            m.put("skipped", skipped);
            m.put("failed", failed.size());
            m.put("seconds", seconds);
            List<Object> f = new ArrayList<>();
            for (Failure x : failed) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("config_hash", x.configHash());
                e.put("reason", x.reason());
                f.add(e);
            }
            m.put("failures", f);
            m.put("results", results);
            return m;
        }
    }

    public static Counts execute(SweepSpec spec, Path dbFile, int workers) {
        return execute(spec, dbFile, workers, dbFile.toAbsolutePath().resolveSibling("sweep-runs"), line -> { });
    }

    /**
     * @param outDir the sweep's folder: run r writes {@code outDir/<first 16 hex digits of its hash>}
     * @param log    receives one line per finished or failed run (progress; may be called from any worker)
     */
    public static Counts execute(SweepSpec spec, Path dbFile, int workers, Path outDir, Consumer<String> log) {
        return execute(spec.expand(outDir), spec.metrics(), dbFile, workers, log);
    }

    /**
     * Refuses configurations whose save_model names one file for several different runs: each run would overwrite the
     * last one's model. Checked before the store is opened or anything trained.
     */
    public static void checkDistinctFiles(List<RunConfig> configs) {
        Map<String, String> models = new java.util.HashMap<>();
        for (RunConfig c : configs) {
            if (c.output().saveModel() != null) {
                String h = ResultsStore.configHash(c);
                String other = models.putIfAbsent(Path.of(c.output().saveModel()).toAbsolutePath().normalize().toString(), h);
                if (other != null && !other.equals(h)) {
                    throw new InputError("save_model: " + c.output().saveModel() + " is the same file for several runs of "
                            + "the sweep, so each would overwrite the last; drop it (every run's out folder has "
                            + "model.npz) or vary it in the grid");
                }
            }
        }
    }

    /**
     * A run as a sweep trains it: on one BLAS thread, writing {@code outDir/<first 16 hex digits of its
     * config hash>}.
     */
    public static RunConfig placed(RunConfig c, Path outDir) {
        RunConfig one = c.with(Map.of("threads", 1), "sweep");
        return one.with(Map.of("out", outDir.resolve(ResultsStore.configHash(one).substring(0, 16)).toString()), "sweep");
    }

    /**
     * Runs configurations that are not a Cartesian grid (the preset studies build theirs in code); each must
     * already be {@link #placed}. {@code metrics} names the summary keys copied into {@link Counts#results}.
     */
    public static Counts execute(List<RunConfig> configs, List<String> metrics, Path dbFile, int workers,
            Consumer<String> log) {
        checkWorkers(workers);
        try (ResultsStore store = ResultsStore.open(dbFile)) {
            return execute(configs, metrics, store, workers, log);
        }
    }

    /**
     * Trains every configuration of {@code configs} whose hash is not in {@code store} (each {@link #placed})
     * on {@code workers} threads and stores it; the rest are skipped. For callers that keep the store open
     * across several batches (e.g. {@link MinimalWidth}'s probes).
     */
    public static Counts execute(List<RunConfig> configs, List<String> metrics, ResultsStore store, int workers,
            Consumer<String> log) {
        checkWorkers(workers);
        Blas.setThreads(1);
        Parallel.setThreads(1);
        Plan plan = Plan.of(configs, store.doneHashes());
        Tally tally = new Tally(store, metrics, log).expect(plan.todo().size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, plan.todo().size())), r -> {
            Thread t = new Thread(r, "sweep-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (RunConfig c : plan.todo()) {
                fs.add(pool.submit(() -> tally.record(c, () -> train(c))));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("sweep interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    // record() catches everything it can report; anything else is our bug
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return tally.counts(plan);
    }

    private static void checkWorkers(int workers) {
        if (workers < 1 || workers > 1024) {
            throw new InputError("--workers must be between 1 and 1024, got " + workers);
        }
    }

    /** A trained run as the store takes it: its summary.json map and its per-step series. */
    public record Trained(Map<String, Object> summary, List<ResultsStore.Point> series) {
    }

    /**
     * Trains one configuration on the calling thread (with the BLAS and elementwise threads the caller set),
     * collecting every step's measurements. Throws what {@link TrainRun#execute} throws; see
     * {@link #failureReason}.
     */
    public static Trained train(RunConfig c) {
        List<ResultsStore.Point> series = new ArrayList<>();
        TrainObserver collect = new TrainObserver() {
            @Override
            public void onStep(StepRecord r, org.overparam.nn.Model net) {
                series.add(new ResultsStore.Point(r.step(), r.loss(), r.gradNormSq(), r.distance()));
            }
        };
        TrainRun.Outcome o = TrainRun.execute(c, List.of(collect));
        return new Trained(o.summary(), series);
    }

    /**
     * The one-line reason when {@code e} is a run's own failure (a bad option value, unreadable data, a failed
     * write or insert): such a run is reported and not stored, and the sweep goes on. Null for anything else,
     * which is our bug and which the caller rethrows.
     */
    public static String failureReason(RuntimeException e) {
        if (e instanceof InputError || e instanceof java.io.UncheckedIOException || e instanceof IllegalStateException) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : ResultsStore.oneLine(e.getMessage());
        }
        return null;
    }

    /**
     * A sweep's work: every grid point (run r's folder {@code outDir/<first 16 hex digits of its hash>}), those to
     * run now (not in the store, first occurrence of each hash) and how many were skipped.
     */
    public record Plan(List<RunConfig> configs, List<RunConfig> todo, int skipped) {
        public Plan {
            configs = List.copyOf(configs);
            todo = List.copyOf(todo);
        }

        public static Plan of(SweepSpec spec, Path outDir, Set<String> done) {
            return of(spec.expand(outDir), done);
        }

        /** Of given configurations (each {@link #placed}): those not in {@code done}, first occurrences only. */
        public static Plan of(List<RunConfig> configs, Set<String> done) {
            checkDistinctFiles(configs); // both engines; the commands also check before opening the store
            Set<String> seen = new HashSet<>();
            List<RunConfig> todo = new ArrayList<>();
            for (RunConfig c : configs) {
                String h = ResultsStore.configHash(c);
                if (!done.contains(h) && seen.add(h)) {
                    todo.add(c);
                }
            }
            return new Plan(configs, todo, configs.size() - todo.size());
        }
    }

    /**
     * A sweep's outcome as its runs come in, from any thread: a finished run (completed or diverged) goes into
     * the store at once, in one transaction with its series, so a killed sweep loses no finished run; a failed
     * one is kept for the report. One log line per run either way.
     */
    public static final class Tally {
        private final ResultsStore store;
        private final List<String> metrics;
        private final Consumer<String> log;
        private final List<Failure> failed = Collections.synchronizedList(new ArrayList<>());
        private final List<Map<String, Object>> results = Collections.synchronizedList(new ArrayList<>());

        private final long started;
        private final java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        private volatile int expected;

        /** Starts the sweep's clock: make the tally when the runs are about to start. */
        public Tally(ResultsStore store, List<String> metrics, Consumer<String> log) {
            this.store = store;
            this.metrics = metrics.isEmpty() ? List.of("final_loss") : List.copyOf(metrics);
            this.log = log;
            this.started = System.nanoTime();
        }

        /** How many runs this tally will see (for "17/27, ETA ..." on each log line). */
        public Tally expect(int runs) {
            this.expected = runs;
            return this;
        }

        /** "[17/27, 2.3 s each, ETA 23 s] " once the count is known, else nothing. */
        private String progress() {
            int k = finished.incrementAndGet();
            return expected > 0 ? "[" + Eta.of(k, expected, (System.nanoTime() - started) * 1e-9) + "] " : "";
        }

        /**
         * Gets run {@code c}'s result from {@code run} (training it here, or taking it from where it was trained)
         * and stores it; a run's own failure there or in the insert ({@link #failureReason}) is recorded as
         * {@link #failed}, anything else is rethrown.
         */
        public void record(RunConfig c, Supplier<Trained> run) {
            try {
                Trained t = run.get();
                store.insert(c, t.summary(), t.series());
                String hash = ResultsStore.configHash(c);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("config_hash", hash);
                row.put("out", c.out());
                row.put("status", t.summary().get("status"));
                for (String m : metrics) {
                    row.put(m, t.summary().get(m));
                }
                results.add(row);
                log.accept(progress() + "done " + hash.substring(0, 12) + " " + row);
            } catch (RuntimeException e) {
                String reason = failureReason(e);
                if (reason == null) {
                    throw e;
                }
                failed(c, reason);
            }
        }

        /** Records run {@code c} as failed (not stored; rerunning the sweep tries it again). */
        public void failed(RunConfig c, String reason) {
            String hash = ResultsStore.configHash(c);
            failed.add(new Failure(hash, c.out(), reason));
            log.accept(progress() + "failed " + hash.substring(0, 12) + ": " + reason);
        }

        /** The counts once every run of {@code plan} has been recorded (results sorted by output folder). */
        public Counts counts(Plan plan) {
            List<Map<String, Object>> sorted = new ArrayList<>(results);
            sorted.sort(java.util.Comparator.comparing(m -> String.valueOf(m.get("out"))));
            List<Failure> f = List.copyOf(failed);
            return new Counts(plan.configs().size(), plan.todo().size() - f.size(), plan.skipped(), f, sorted,
                    (System.nanoTime() - started) * 1e-9);
        }
    }
}
