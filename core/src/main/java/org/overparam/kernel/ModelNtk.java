package org.overparam.kernel;

import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.nn.LayerNet;

/**
 * The empirical NTK of any {@link LayerNet} (convolutions, pooling, residual blocks) by Jacobian contraction, as
 * torch.func's {@code jacrev} recipe: Θ = J·Jᵀ with J the per-sample Jacobian rows ∂h_a(x_i)/∂w (one forward and k
 * backward passes of signals per block of samples, each layer writing its per-sample gradients: for a convolution
 * G_i = s·dZ_iᵀ·P_i from its unrolled patches). J is never materialized whole when it does not fit: samples are taken
 * in blocks I, the diagonal blocks Θ_II by SYRK and the others Θ_IJ = J_I·J_Jᵀ, recomputing J_J (time O(n²·P/B)
 * more, memory O(B·k·P) instead of O(n·k·P)).
 */
public final class ModelNtk {
    /** Doubles of Jacobian rows held at once (2 blocks): 1 GB. */
    static final long JACOBIAN_DOUBLES = 1L << 27;

    private ModelNtk() {
    }

    /** The Gram of x for every parameter of {@code net}, in the output mode asked for. */
    public static Matrix compute(LayerNet net, Matrix x, OutputMode mode) {
        return compute(net, x, mode, JACOBIAN_DOUBLES);
    }

    static Matrix compute(LayerNet net, Matrix x, OutputMode mode, long budget) {
        int n = x.rows();
        int k = net.outputSize();
        long p = net.parameterCount();
        if (x.cols() != net.inputSize()) {
            throw new InputError("data has " + x.cols() + " values per example but the network expects "
                    + net.inputSize());
        }
        long full = (long) n * k;
        if (full * full > Integer.MAX_VALUE - 8L) {
            throw new InputError("the (n*k)x(n*k) NTK would have " + full * full + " entries, more than one array can "
                    + "hold; use fewer samples");
        }
        // samples per block: two blocks of J (B·k × P each) within the budget, and at most Integer.MAX_VALUE entries
        long rowsFit = Math.max(1, Math.min(budget / 2, Integer.MAX_VALUE - 8L) / Math.max(1, (long) k * p));
        int block = (int) Math.min(n, rowsFit);
        Matrix theta = Matrix.zeros((int) full, (int) full);
        try (Matrix ji = Matrix.zeros(block * k, (int) p);
                Matrix jj = block < n ? Matrix.zeros(block * k, (int) p) : null) {
            for (int i0 = 0; i0 < n; i0 += block) {
                int i1 = Math.min(n, i0 + block);
                Matrix a = ji.rowBlock(0, (i1 - i0) * k);
                net.jacobian(x.rowBlock(i0, i1), a);
                for (int j0 = i0; j0 < n; j0 += block) {
                    int j1 = Math.min(n, j0 + block);
                    Matrix target = Matrix.zeros((i1 - i0) * k, (j1 - j0) * k);
                    if (j0 == i0) {
                        Blas.gemm(false, true, 1.0, a, a, 0.0, target);
                    } else {
                        Matrix b = jj.rowBlock(0, (j1 - j0) * k);
                        net.jacobian(x.rowBlock(j0, j1), b);
                        Blas.gemm(false, true, 1.0, a, b, 0.0, target);
                    }
                    copyBack(theta, target, i0 * k, j0 * k, j0 != i0);
                    target.close();
                }
            }
        }
        if (mode == OutputMode.FULL || k == 1) {
            return theta;
        }
        try (theta) {
            return reduce(theta, n, k, mode);
        }
    }

    /** Θ[r0 + r, c0 + c] ← block[r, c], and the mirrored entry for a block off the diagonal (only I ≤ J are computed). */
    private static void copyBack(Matrix theta, Matrix block, int r0, int c0, boolean mirror) {
        var tb = theta.buffer();
        var bb = block.buffer();
        int cols = theta.cols();
        for (int r = 0; r < block.rows(); r++) {
            for (int c = 0; c < block.cols(); c++) {
                double v = bb.get(r * block.cols() + c);
                tb.put((r0 + r) * cols + c0 + c, v);
                if (mirror) {
                    tb.put((c0 + c) * cols + r0 + r, v);
                }
            }
        }
    }

    /** TRACE: Σ_a Θ_(ia)(ja) (n × n); BLOCKS: the k blocks Θ_(ia)(ja) stacked ((k·n) × n). */
    private static Matrix reduce(Matrix theta, int n, int k, OutputMode mode) {
        Matrix out = Matrix.zeros(mode == OutputMode.BLOCKS ? k * n : n, n);
        int m = n * k;
        var tb = theta.buffer();
        var ob = out.buffer();
        for (int a = 0; a < k; a++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = tb.get((i * k + a) * m + j * k + a);
                    int at = mode == OutputMode.BLOCKS ? (a * n + i) * n + j : i * n + j;
                    ob.put(at, (mode == OutputMode.BLOCKS ? 0 : ob.get(at)) + v);
                }
            }
        }
        return out;
    }
}
