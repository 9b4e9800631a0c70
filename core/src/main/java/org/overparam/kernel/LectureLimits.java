package org.overparam.kernel;

import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Activation;
import org.overparam.nn.DualKernel;
import org.overparam.nn.DualKernels;
import org.overparam.nn.QuadratureDual;

/**
 * The limiting Gram matrices of the two-layer analysis of Du, Zhai, Póczos &amp; Singh (ICLR 2019) for
 * f(x) = (1/√m) Σ_r a_r σ(w_rᵀx), w_r ~ N(0, I) — raw inner products, no 1/d:
 * <ul>
 * <li>H^∞_ij = E_w[x_iᵀx_j 1{wᵀx_i ≥ 0, wᵀx_j ≥ 0}] = x_iᵀx_j (π − θ_ij)/(2π), θ_ij the angle between x_i and
 * x_j (their Definition 3.1 / Assumption 3.1: λ0 = λ_min(H^∞) &gt; 0 when no two inputs are parallel);</li>
 * <li>the random-features (conjugate) kernel K^∞_ij = E_w[σ(wᵀx_i)σ(wᵀx_j)], the dual of σ at the covariance
 * X Xᵀ (for relu the arc-cosine kernel of order 1).</li>
 * </ul>
 * A zero input has θ undefined; its row of H^∞ is 0 (the factor x_iᵀx_j vanishes). Angles are computed as in
 * {@link DualKernels#angle} (parallel pairs within rounding read as θ = 0).
 */
public final class LectureLimits {
    private LectureLimits() {
    }

    /** H^∞ (n × n) of the rows of X. */
    public static Matrix hInfinity(Matrix x) {
        checkInput(x);
        Matrix g = Blas.gramRows(x);
        int n = g.rows();
        var b = g.buffer();
        double[] norms = diagonal(g);
        Parallel.forRange(n * n, n, (from, to) -> {
            for (int k = from; k < to; k++) {
                int i = k / n;
                int j = k % n;
                double gij = b.get(k);
                b.put(k, gij * stepOverlap(norms[i], norms[j], gij));
            }
        });
        return g;
    }

    /** P(wᵀx_i ≥ 0, wᵀx_j ≥ 0) = (π − θ)/(2π) from the Gram entries (1/2 on the diagonal). */
    private static double stepOverlap(double gii, double gjj, double gij) {
        return (Math.PI - DualKernels.angle(gii, gjj, gij)) / (2 * Math.PI);
    }

    /**
     * K^∞ (n × n) of the rows of X for σ: E_w[σ(wᵀx_i)σ(wᵀx_j)], w ~ N(0, I), by σ's closed-form dual
     * ({@link Activation#dual()}) or, without one, {@link QuadratureDual}.
     */
    public static Matrix randomFeatures(Matrix x, Activation sigma) {
        checkInput(x);
        DualKernel d = sigma.dual() != null ? sigma.dual() : new QuadratureDual(sigma);
        Matrix g = Blas.gramRows(x);
        int n = g.rows();
        var b = g.buffer();
        double[] norms = diagonal(g);
        Parallel.forRange(n * n, n, (from, to) -> {
            for (int k = from; k < to; k++) {
                b.put(k, d.nngp(norms[k / n], norms[k % n], b.get(k)));
            }
        });
        return g;
    }

    /** λ0 = λ_min(H^∞) by LAPACK dsyevr (only the smallest eigenvalue is computed). */
    public static double lambda0(Matrix x) {
        try (Matrix h = hInfinity(x)) {
            return smallestEigenvalue(h);
        }
    }

    /** The smallest eigenvalue of a symmetric matrix. */
    public static double smallestEigenvalue(Matrix symmetric) {
        return Lapack.smallestEigenvalues(symmetric, 1)[0];
    }

    private static double[] diagonal(Matrix g) {
        double[] d = new double[g.rows()];
        for (int i = 0; i < d.length; i++) {
            d[i] = g.get(i, i);
        }
        return d;
    }

    private static void checkInput(Matrix x) {
        if (x.rows() == 0 || x.cols() == 0) {
            throw new InputError("X is empty (" + x.shape() + "); give at least one row and one feature");
        }
        if (!Vectors.allFinite(x)) {
            throw new InputError("X contains NaN or infinite values; clean the data first");
        }
    }
}
