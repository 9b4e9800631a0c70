package org.overparam.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.overparam.kernel.AnalyticKernel;
import org.overparam.kernel.BlockProducts;
import org.overparam.kernel.CentresKernel;
import org.overparam.linalg.Matrix;

/**
 * K_nM spread over a Spark cluster's executors: one task per row block, which computes its block of the analytic
 * kernel once and keeps it off-heap in the executor ({@link ExecutorBlocks}); every product the Nyström solver asks
 * for is then one Spark job whose tasks return their block's contribution, summed here in block order — so the
 * answer is the in-process one ({@link org.overparam.kernel.LocalCentresKernel}), to the last bit when BLAS gives
 * the same bits on both sides. Only the inputs and centres (broadcast once) and M-vectors per iteration cross the
 * network; K_nM never does.
 *
 * <p>Why the blocks stay where they were computed: the job that computes them caches a small RDD of block numbers
 * ({@code handles}), and Spark schedules the later jobs' tasks next to their cached partition (locality), which is
 * the executor holding the block. A task sent elsewhere (its executor lost, or locality given up after
 * {@code spark.locality.wait}) computes the block again there: slower, never wrong.
 */
final class SparkCentresKernel implements CentresKernel {
    private final JavaSparkContext spark;
    private final ExecutorBlocks.Source source;
    private final JavaRDD<Integer> handles;
    private final double kernelSeconds;

    /** The factory {@link org.overparam.experiment.PredictRun#execute} takes: the kernel must be an analytic one. */
    static Factory on(JavaSparkContext spark) {
        return (kernel, x, centres) -> new SparkCentresKernel(spark, kernel, x, centres);
    }

    private SparkCentresKernel(JavaSparkContext spark, BiFunction<Matrix, Matrix, Matrix> kernel, Matrix x,
            Matrix centres) {
        if (!(kernel instanceof AnalyticKernel k)) {
            throw new IllegalArgumentException("K_nM on Spark needs an analytic kernel (it is computed on the executors)");
        }
        this.spark = spark;
        long t0 = System.nanoTime();
        Broadcast<double[]> bx = spark.broadcast(x.toArray());
        Broadcast<double[]> bc = spark.broadcast(centres.toArray());
        this.source = new ExecutorBlocks.Source(UUID.randomUUID().toString(), k, bx, bc, x.rows(), x.cols(),
                centres.rows());
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < CentresKernel.blocks(x.rows()); b++) {
            ids.add(b);
        }
        ExecutorBlocks.Source s = source;
        this.handles = spark.parallelize(ids, ids.size()).map(b -> {
            ExecutorBlocks.block(s, b);
            return b;
        }).persist(StorageLevel.MEMORY_ONLY());
        handles.count(); // computes every block
        this.kernelSeconds = (System.nanoTime() - t0) * 1e-9;
    }

    @Override
    public int rows() {
        return source.n();
    }

    @Override
    public int centres() {
        return source.m();
    }

    /** The blocks' contributions, in block order (collect keeps the partitions' order), summed in that order. */
    private static Matrix sum(List<double[]> parts, int rows, int cols) {
        Matrix w = Matrix.zeros(rows, cols);
        for (double[] p : parts) {
            BlockProducts.addInto(w, Matrix.of(rows, cols, p));
        }
        return w;
    }

    @Override
    public Matrix gramTimes(Matrix u) {
        ExecutorBlocks.Source s = source;
        double[] ud = u.toArray();
        int m = centres();
        List<double[]> parts = handles.map(b -> {
            try (Matrix uu = Matrix.of(m, 1, ud); Matrix v = BlockProducts.gramTimes(ExecutorBlocks.block(s, b), uu)) {
                return v.toArray();
            }
        }).collect();
        return sum(parts, m, 1);
    }

    @Override
    public Matrix transposeTimes(Matrix y) {
        ExecutorBlocks.Source s = source;
        int k = y.cols();
        Broadcast<double[]> by = spark.broadcast(y.toArray());
        try {
            List<double[]> parts = handles.map(b -> {
                double[] rows = Arrays.copyOfRange(by.value(), s.start(b) * k, s.end(b) * k);
                try (Matrix yb = Matrix.of(s.end(b) - s.start(b), k, rows);
                        Matrix v = BlockProducts.transposeTimes(ExecutorBlocks.block(s, b), yb)) {
                    return v.toArray();
                }
            }).collect();
            return sum(parts, centres(), k);
        } finally {
            by.destroy();
        }
    }

    @Override
    public Matrix times(Matrix alpha) {
        ExecutorBlocks.Source s = source;
        double[] a = alpha.toArray();
        int k = alpha.cols();
        int m = centres();
        List<double[]> parts = handles.map(b -> {
            try (Matrix al = Matrix.of(m, k, a); Matrix f = org.overparam.linalg.Blas.multiply(ExecutorBlocks.block(s, b),
                    false, al, false)) {
                return f.toArray();
            }
        }).collect();
        double[] out = new double[rows() * k];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return Matrix.of(rows(), k, out);
    }

    @Override
    public double kernelSeconds() {
        return kernelSeconds;
    }

    /** Frees the blocks on the executors that run the eviction tasks (the others' go when the application ends). */
    @Override
    public void close() {
        String id = source.id();
        handles.foreach(b -> ExecutorBlocks.evict(id));
        handles.unpersist(false);
        source.x().destroy();
        source.centres().destroy();
    }
}
