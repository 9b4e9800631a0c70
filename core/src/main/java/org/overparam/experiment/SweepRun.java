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

    /** What a sweep did: runs trained now, grid points skipped (already stored or duplicates), failures. */
    public record Counts(int total, int run, int skipped, List<Failure> failed, List<Map<String, Object>> results) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", total);
            m.put("run", run);
            m.put("skipped", skipped);
            m.put("failed", failed.size());
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
        checkWorkers(workers);
        List<RunConfig> configs = spec.expand(outDir);
        try (ResultsStore store = ResultsStore.open(dbFile)) {
            return execute(configs, spec.metrics(), store, workers, log);
        }
    }

    /**
     * Trains every configuration of {@code configs} whose hash is not in {@code store} (each with its own
     * {@code out} and {@code threads = 1}) on {@code workers} threads and stores it; the rest are skipped.
     * What {@link #execute(SweepSpec, Path, int, Path, Consumer)} does after expanding the grid, for callers
     * that choose the configurations themselves (e.g. {@link MinimalWidth}'s probes).
     */
    public static Counts execute(List<RunConfig> configs, List<String> metrics, ResultsStore store, int workers,
            Consumer<String> log) {
        checkWorkers(workers);
        Blas.setThreads(1);
        Parallel.setThreads(1);
        Set<String> done = store.doneHashes();
        Set<String> seen = new HashSet<>();
        List<RunConfig> todo = new ArrayList<>();
        int skipped = 0;
        for (RunConfig c : configs) {
            String h = ResultsStore.configHash(c);
            if (done.contains(h) || !seen.add(h)) {
                skipped++;
            } else {
                todo.add(c);
            }
        }
        List<Failure> failed = Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Object>> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, todo.size())), r -> {
            Thread t = new Thread(r, "sweep-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (RunConfig c : todo) {
                fs.add(pool.submit(() -> runOne(c, store, metrics, failed, results, log)));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("sweep interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    // runOne catches everything it can report; anything else is our bug
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int ran = todo.size() - failed.size();
        List<Map<String, Object>> sorted = new ArrayList<>(results);
        sorted.sort(java.util.Comparator.comparing(m -> String.valueOf(m.get("out"))));
        return new Counts(configs.size(), ran, skipped, List.copyOf(failed), sorted);
    }

    private static void checkWorkers(int workers) {
        if (workers < 1 || workers > 1024) {
            throw new InputError("--workers must be between 1 and 1024, got " + workers);
        }
    }

    private static void runOne(RunConfig c, ResultsStore store, List<String> metrics, List<Failure> failed,
            List<Map<String, Object>> results, Consumer<String> log) {
        String hash = ResultsStore.configHash(c);
        List<ResultsStore.Point> series = new ArrayList<>();
        TrainObserver collect = new TrainObserver() {
            @Override
            public void onStep(StepRecord r, Network net) {
                series.add(new ResultsStore.Point(r.step(), r.loss(), r.gradNormSq(), r.distance()));
            }
        };
        try {
            TrainRun.Outcome o = TrainRun.execute(c, List.of(collect));
            store.insert(c, o.summary(), series);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("config_hash", hash);
            row.put("out", c.out());
            row.put("status", o.summary().get("status"));
            for (String m : metrics.isEmpty() ? List.of("final_loss") : metrics) {
                row.put(m, o.summary().get(m));
            }
            results.add(row);
            log.accept("done " + hash.substring(0, 12) + " " + row);
        } catch (InputError | java.io.UncheckedIOException | IllegalStateException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : ResultsStore.oneLine(e.getMessage());
            failed.add(new Failure(hash, c.out(), reason));
            log.accept("failed " + hash.substring(0, 12) + ": " + reason);
        }
    }
}
