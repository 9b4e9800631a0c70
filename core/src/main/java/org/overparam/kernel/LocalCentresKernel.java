package org.overparam.kernel;

import java.util.Arrays;
import java.util.function.BiFunction;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;

/** K_nM held in this process's memory (8·n·M bytes off-heap), computed block by block from the kernel. */
public final class LocalCentresKernel implements CentresKernel {
    private final Matrix knm;
    private final double kernelSeconds;

    public LocalCentresKernel(BiFunction<Matrix, Matrix, Matrix> kernel, Matrix x, Matrix centres) {
        long t0 = System.nanoTime();
        int n = x.rows();
        this.knm = Matrix.zeros(n, centres.rows());
        for (int b = 0; b < CentresKernel.blocks(n); b++) {
            try (Matrix block = kernel.apply(x.rowBlock(b * BLOCK, end(b)), centres)) {
                knm.rowBlock(b * BLOCK, end(b)).copyFrom(block);
            }
        }
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
        Matrix w = Matrix.zeros(centres(), 1);
        for (int b = 0; b < CentresKernel.blocks(rows()); b++) {
            BlockProducts.addInto(w, BlockProducts.gramTimes(knm.rowBlock(b * BLOCK, end(b)), u));
        }
        return w;
    }

    @Override
    public Matrix transposeTimes(Matrix y) {
        Matrix w = Matrix.zeros(centres(), y.cols());
        for (int b = 0; b < CentresKernel.blocks(rows()); b++) {
            BlockProducts.addInto(w, BlockProducts.transposeTimes(knm.rowBlock(b * BLOCK, end(b)),
                    y.rowBlock(b * BLOCK, end(b))));
        }
        return w;
    }

    @Override
    public Matrix times(Matrix alpha) {
        return Blas.multiply(knm, false, alpha, false);
    }

    @Override
    public double kernelSeconds() {
        return kernelSeconds;
    }

    @Override
    public double matvecSeconds() {
        double[] t = new double[3];
        try (Matrix u = Matrix.zeros(centres(), 1).fill(1.0 / Math.sqrt(centres()))) {
            for (int r = 0; r < t.length; r++) {
                long t0 = System.nanoTime();
                gramTimes(u).close();
                t[r] = (System.nanoTime() - t0) * 1e-9;
            }
        }
        Arrays.sort(t);
        return t[1];
    }

    @Override
    public void close() {
        knm.close();
    }
}
