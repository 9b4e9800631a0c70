package org.overparam.linalg;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * One long-lived pool for the fused elementwise passes (activations, masks), split in contiguous ranges.
 * Its size follows {@link Blas#setThreads(int)} through {@link #setThreads(int)}; small ranges run inline
 * because handing them to the pool costs more than doing them.
 */
public final class Parallel {
    /** Ranges below this many elements run on the calling thread. */
    public static final int MIN_PARALLEL = 1 << 16;
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile ForkJoinPool pool;

    private Parallel() {
    }

    /** A body working on the half-open range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (n != threads) {
            threads = n;
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    public static int threads() {
        return threads;
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    // natives first: workers allocate off-heap memory, and JavaCPP's class initialization
                    // deadlocks if a worker initializes Pointer while another thread is inside Loader.load
                    Blas.load();
                    pool = new ForkJoinPool(threads);
                }
                p = pool;
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over [0, n) in at most {@code threads} contiguous chunks whose boundaries are multiples
     * of {@code grain} (e.g. a row length, so chunks hold whole rows). The split depends only on n, grain and
     * the thread count, so results are reproducible for a given thread count.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n < MIN_PARALLEL) {
            body.run(0, n);
            return;
        }
        split(n, grain, body);
    }

    /**
     * Runs {@code body} over [0, n) of large tasks (each index worth handing to a thread, e.g. a block of a matrix),
     * in at most {@code threads} contiguous chunks, however small n is.
     */
    public static void forTasks(int n, RangeBody body) {
        split(n, 1, body);
    }

    private static void split(int n, int grain, RangeBody body) {
        int t = threads;
        if (t == 1 || n <= 1) {
            body.run(0, n);
            return;
        }
        int units = (n + grain - 1) / grain;
        int chunks = Math.min(t, units);
        List<Future<?>> futures = new ArrayList<>(chunks);
        ForkJoinPool p = pool();
        int start = 0;
        for (int c = 0; c < chunks; c++) {
            int endUnit = (int) ((long) units * (c + 1) / chunks);
            int end = Math.min(n, endUnit * grain);
            final int from = start;
            final int to = end;
            if (c == chunks - 1) {
                body.run(from, to);
            } else {
                futures.add(p.submit(() -> body.run(from, to)));
            }
            start = end;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
