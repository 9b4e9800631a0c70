package org.overparam.spark;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;
import org.overparam.kernel.AnalyticKernel;
import org.overparam.kernel.CentresKernel;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;

/**
 * The row blocks of K_nM an executor holds, off-heap, for the life of its JVM or until evicted: computed where a task
 * first needs them, from the broadcast inputs and centres. A lost block (its executor killed, or a task scheduled
 * away from it) is simply computed again where it is needed: the block is a pure function of what the task
 * carries, so nothing is lost with an executor but time.
 */
final class ExecutorBlocks {
    private static final Map<String, Matrix> BLOCKS = new ConcurrentHashMap<>();

    private ExecutorBlocks() {
    }

    /** What a task needs to compute block b: the kernel, the broadcast inputs (n × d) and centres (M × d). */
    record Source(String id, AnalyticKernel kernel, Broadcast<double[]> x, Broadcast<double[]> centres, int n, int d,
            int m) implements java.io.Serializable {
        int start(int b) {
            return b * CentresKernel.BLOCK;
        }

        int end(int b) {
            return Math.min(n, (b + 1) * CentresKernel.BLOCK);
        }
    }

    /** Block b of K_nM (rows [b·BLOCK, …) × M), computed on first use in this JVM. Not to be closed by the caller. */
    static Matrix block(Source s, int b) {
        // one BLAS thread per task: an executor runs one task per core, and BLAS's thread count is process-global
        Blas.setThreads(1);
        Parallel.setThreads(1);
        return BLOCKS.computeIfAbsent(s.id() + "/" + b, k -> {
            double[] rows = Arrays.copyOfRange(s.x().value(), s.start(b) * s.d(), s.end(b) * s.d());
            try (Matrix xb = Matrix.of(s.end(b) - s.start(b), s.d(), rows);
                    Matrix c = Matrix.of(s.m(), s.d(), s.centres().value())) {
                return s.kernel().apply(xb, c);
            }
        });
    }

    /**
     * Frees this JVM's blocks of one solver. Several tasks may evict at once (an executor with several cores, or
     * {@code local[N]}): each block is closed only by the task whose {@code remove} took it out of the map, never twice
     * (a second close of the same memory is a double free that corrupts the native heap).
     */
    static void evict(String id) {
        for (String key : BLOCKS.keySet()) {
            if (key.startsWith(id + "/")) {
                Matrix m = BLOCKS.remove(key);
                if (m != null) {
                    m.close();
                }
            }
        }
    }
}
