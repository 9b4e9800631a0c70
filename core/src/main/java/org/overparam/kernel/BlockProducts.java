package org.overparam.kernel;

import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;

/**
 * What one row block K_b of K_nM contributes to the Nyström solver's products, shared by every place a block is
 * held. Each contribution is computed on its own and then added to the running sum (never accumulated inside BLAS
 * with beta = 1, whose internal blocking would add the partial sums in another order): so a sum over blocks taken in
 * block order is the same number in one process and across a cluster.
 */
public final class BlockProducts {
    private BlockProducts() {
    }

    /** K_bᵀ(K_b·u): M × 1, new. */
    public static Matrix gramTimes(Matrix kb, Matrix u) {
        try (Matrix s = Matrix.zeros(kb.rows(), 1)) {
            Blas.gemv(false, 1.0, kb, u, 0.0, s);
            Matrix v = Matrix.zeros(kb.cols(), 1);
            Blas.gemv(true, 1.0, kb, s, 0.0, v);
            return v;
        }
    }

    /** K_bᵀ·y_b: M × k, new. */
    public static Matrix transposeTimes(Matrix kb, Matrix yb) {
        return Blas.multiply(kb, true, yb, false);
    }

    /** sum ← sum + part, then part is closed. */
    public static void addInto(Matrix sum, Matrix part) {
        try (part) {
            Vectors.axpy(1.0, part, sum);
        }
    }
}
