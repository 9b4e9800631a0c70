package org.overparam.kernel;

import java.util.function.BiFunction;
import org.overparam.linalg.Matrix;

/**
 * K_nM, the kernel between n training points and M centres, as the Nyström solver ({@link NystromKrr}) uses it:
 * only through products, so that it can live in one process ({@link LocalCentresKernel}) or in row blocks spread
 * over a cluster's executors (module spark). Row blocks are {@link #BLOCK} rows, and every product that sums over
 * the n rows sums the blocks' contributions in block order: the same numbers wherever the blocks are held.
 */
public interface CentresKernel extends AutoCloseable {
    /** Rows per block: its kernel temporaries stay a few hundred MB even for M in the thousands. */
    int BLOCK = 8192;

    /** How K_nM comes to be: from the kernel, the n inputs and the M centres. */
    @FunctionalInterface
    interface Factory {
        CentresKernel create(BiFunction<Matrix, Matrix, Matrix> kernel, Matrix x, Matrix centres);
    }

    /** The blocks of n rows: [b·BLOCK, min(n, (b+1)·BLOCK)). */
    static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    int rows();

    int centres();

    /** K_nMᵀ·K_nM·u for one column u (M × 1): Σ_b K_bᵀ(K_b·u), blocks in order. A new M × 1 matrix. */
    Matrix gramTimes(Matrix u);

    /** K_nMᵀ·y (y n × k): Σ_b K_bᵀ·y_b, blocks in order. A new M × k matrix. */
    Matrix transposeTimes(Matrix y);

    /** K_nM·α (α M × k): the training outputs, n × k. */
    Matrix times(Matrix alpha);

    /** Seconds it took to compute K_nM. */
    double kernelSeconds();

    /**
     * Seconds of the products one CG iteration needs, K_b·u then K_bᵀ·(K_b·u) over every block, as this K_nM does
     * them (on a cluster: a whole job, its scheduling included); median of 3.
     */
    default double matvecSeconds() {
        double[] t = new double[3];
        try (Matrix u = Matrix.zeros(centres(), 1).fill(1.0 / Math.sqrt(centres()))) {
            for (int r = 0; r < t.length; r++) {
                long t0 = System.nanoTime();
                gramTimes(u).close();
                t[r] = (System.nanoTime() - t0) * 1e-9;
            }
        }
        java.util.Arrays.sort(t);
        return t[1];
    }

    @Override
    void close();
}
