package org.overparam.kernel;

import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.nn.DualKernel;

/**
 * The infinite-width kernels of a network prefix between inputs X1 (n1 rows) and X2 (n2 rows), as
 * neural-tangents' {@code Kernel} carries them through {@code stax} layers: the NNGP covariance
 * {@code nngp} = K(x1_i, x2_j), the tangent kernel {@code ntk} = Θ(x1_i, x2_j), and the variances
 * {@code diag1} = K(x1_i, x1_i), {@code diag2} = K(x2_j, x2_j) (neural-tangents' cov1, cov2) that the
 * activation maps need. For a kernel of X with itself ({@code symmetric}) the matrices are symmetric and
 * {@code diag1 == diag2}.
 *
 * <p>Treated as a value: {@link #dense} and {@link #activate} return a new kernel and leave this one
 * unchanged. {@link InfiniteWidthKernel} fuses the same steps in place for speed. The matrices are
 * off-heap; {@link #close()} frees them.
 */
public record Kernel(Matrix nngp, Matrix ntk, double[] diag1, double[] diag2, boolean symmetric)
        implements AutoCloseable {

    public Kernel {
        if (nngp.rows() != diag1.length || nngp.cols() != diag2.length || ntk.rows() != nngp.rows()
                || ntk.cols() != nngp.cols()) {
            throw new IllegalArgumentException("kernel shapes disagree: nngp " + nngp.shape() + ", ntk " + ntk.shape()
                    + ", diagonals " + diag1.length + ", " + diag2.length);
        }
        if (symmetric && diag1 != diag2) {
            throw new IllegalArgumentException("a symmetric kernel shares one diagonal");
        }
    }

    /**
     * The input kernel of neural-tangents' {@code _inputs_to_kernel}: K⁰ = X Xᵀ/d (its {@code _cov},
     * {@code ret / x1.shape[channel_axis]}), Θ⁰ = 0, by one SYRK.
     */
    public static Kernel ofInputs(Matrix x) {
        int n = x.rows();
        Matrix k = Matrix.zeros(n, n);
        Blas.syrk(false, 1.0 / x.cols(), x, 0.0, k);
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = k.get(i, i);
        }
        return new Kernel(k, Matrix.zeros(n, n), diag, diag, true);
    }

    /** The cross input kernel K⁰ = X1 X2ᵀ/d, Θ⁰ = 0, by one GEMM. */
    public static Kernel ofInputs(Matrix x1, Matrix x2) {
        if (x1.cols() != x2.cols()) {
            throw new IllegalArgumentException("inputs have " + x1.cols() + " and " + x2.cols() + " features");
        }
        Matrix k = Matrix.zeros(x1.rows(), x2.rows());
        Blas.gemm(false, true, 1.0 / x1.cols(), x1, x2, 0.0, k);
        return new Kernel(k, Matrix.zeros(x1.rows(), x2.rows()), squaredNorms(x1), squaredNorms(x2), false);
    }

    /** ‖x_i‖²/d for every row. */
    static double[] squaredNorms(Matrix x) {
        double[] out = new double[x.rows()];
        var b = x.buffer();
        int d = x.cols();
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0, base = i * d; j < d; j++) {
                double v = b.get(base + j);
                s += v * v;
            }
            out[i] = s / d;
        }
        return out;
    }

    /**
     * A dense layer under the NTK parameterization, neural-tangents' {@code Dense(W_std, b_std,
     * parameterization='ntk').kernel_fn}: K ← σ_w²K + σ_b² (on nngp, cov1, cov2: {@code _affine}), then
     * Θ ← K + σ_w²Θ with the updated K ({@code ntk = nngp + W_std**2 * ntk}).
     */
    public Kernel dense(double sigmaW, double sigmaB) {
        Kernel out = copy();
        KernelPasses.apply(out, null, true, sigmaW * sigmaW, sigmaB * sigmaB);
        return out;
    }

    /** An activation: K ← E[φ(u)φ(v)], Θ ← E[φ'(u)φ'(v)]·Θ, diagonals ← E[φ(u)²]. */
    public Kernel activate(DualKernel dual) {
        Kernel out = copy();
        KernelPasses.apply(out, dual, false, 1.0, 0.0);
        return out;
    }

    /** An independent copy. */
    public Kernel copy() {
        double[] d1 = diag1.clone();
        return new Kernel(nngp.copy(), ntk.copy(), d1, symmetric ? d1 : diag2.clone(), symmetric);
    }

    public int rows() {
        return nngp.rows();
    }

    public int cols() {
        return nngp.cols();
    }

    @Override
    public void close() {
        nngp.close();
        ntk.close();
    }
}
