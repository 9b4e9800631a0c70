package org.overparam.kernel;

import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;

/** K_nM held in this process's memory (8·n·M bytes off-heap), computed block by block from the kernel. */
public final class LocalCentresKernel implements CentresKernel {
    private final Matrix knm;
    private final double kernelSeconds;

    public LocalCentresKernel(BiFunction<Matrix, Matrix, Matrix> kernel, Matrix x, Matrix centres) {
        long t0 = System.nanoTime();
        int n = x.rows();
        this.knm = Matrix.zeros(n, centres.rows());
        perBlock(b -> {
            try (Matrix block = kernel.apply(x.rowBlock(b * BLOCK, end(b)), centres)) {
                knm.rowBlock(b * BLOCK, end(b)).copyFrom(block);
            }
            return null;
        });
        this.kernelSeconds = (System.nanoTime() - t0) * 1e-9;
    }

    private int end(int b) {
        return Math.min(knm.rows(), (b + 1) * BLOCK);
    }

    @Override
    public int rows() {
        return knm.rows();
    }

    @Override
    public int centres() {
        return knm.cols();
    }

    @Override
    public Matrix gramTimes(Matrix u) {
        return sumOverBlocks(centres(), 1, b -> BlockProducts.gramTimes(knm.rowBlock(b * BLOCK, end(b)), u));
    }

    @Override
    public Matrix transposeTimes(Matrix y) {
        return sumOverBlocks(centres(), y.cols(), b -> BlockProducts.transposeTimes(knm.rowBlock(b * BLOCK, end(b)),
                y.rowBlock(b * BLOCK, end(b))));
    }

    /** Σ_b part(b), the parts computed by {@link #perBlock} and added in block order. */
    private Matrix sumOverBlocks(int rows, int cols, IntFunction<Matrix> part) {
        Matrix w = Matrix.zeros(rows, cols);
        for (Matrix p : perBlock(part)) {
            BlockProducts.addInto(w, p);
        }
        return w;
    }

    /**
     * part(b) for every block, on the pool's threads with one BLAS thread each, as a Spark executor computes them (one
     * BLAS thread per task): OpenBLAS may split one product between its threads along the summed dimension and add
     * the partial sums, so with more threads a block would differ in its last bits from the executor's. So K_nM and
     * its products are the same numbers in one process and on a cluster, and the threads still share the work.
     */
    private Matrix[] perBlock(IntFunction<Matrix> part) {
        Matrix[] parts = new Matrix[CentresKernel.blocks(rows())];
        int threads = Blas.threads();
        Blas.setThreads(1);
        try {
            Parallel.forTasks(parts.length, (from, to) -> {
                for (int b = from; b < to; b++) {
                    parts[b] = part.apply(b);
                }
            });
        } finally {
            Blas.setThreads(threads);
        }
        return parts;
    }

    @Override
    public Matrix times(Matrix alpha) {
        Matrix out = Matrix.zeros(rows(), alpha.cols());
        perBlock(b -> {
            try (Matrix f = Blas.multiply(knm.rowBlock(b * BLOCK, end(b)), false, alpha, false)) {
                out.rowBlock(b * BLOCK, end(b)).copyFrom(f);
            }
            return null;
        });
        return out;
    }

    @Override
    public double kernelSeconds() {
        return kernelSeconds;
    }

    @Override
    public void close() {
        knm.close();
    }
}
