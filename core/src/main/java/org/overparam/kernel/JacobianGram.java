package org.overparam.kernel;

import java.util.BitSet;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;

/**
 * The empirical NTK the direct way, for comparison and benchmarks: Θ = Σ_b J_b J_bᵀ accumulated over
 * blocks of parameters (rows of W_l with their biases), each J_b (n × |b|) materialized from the layer
 * factors and multiplied by SYRK — O(n²·P) flops, because the full J (n × P) does not fit for wide nets.
 * Scalar-output (or trace) convention: Σ over outputs.
 */
public final class JacobianGram {
    private JacobianGram() {
    }

    /** Θ over the counted layers, materializing at most {@code rowsPerBlock} rows of W_l at a time. */
    public static Matrix compute(Network net, Matrix x, BitSet counted, int rowsPerBlock) {
        return compute(net, x, counted, rowsPerBlock, 1.0);
    }

    /**
     * As {@link #compute(Network, Matrix, BitSet, int)} but over only the first {@code fraction} of each
     * counted layer's rows (for timing a share of the O(n²P) work and extrapolating).
     */
    public static Matrix compute(Network net, Matrix x, BitSet counted, int rowsPerBlock, double fraction) {
        int n = x.rows();
        int[] w = net.widths();
        int k = w[net.layers()];
        Matrix g = Matrix.zeros(n, n);
        try (LayerFactors f = LayerFactors.compute(net, x, counted, EmpiricalNtk.BLOCK)) {
            for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
                int in = w[l];
                int out = w[l + 1];
                double s = net.weightScale(l);
                double beta = net.bias(l) == null ? 0.0 : net.biasScale(l);
                int rowsTotal = (int) Math.max(1, Math.round(out * fraction));
                int r = Math.min(rowsPerBlock, rowsTotal);
                int cols = r * in + (beta != 0 ? r : 0);
                try (Matrix jb = Matrix.zeros(n, cols)) {
                    for (int c0 = 0; c0 < rowsTotal; c0 += r) {
                        int c1 = Math.min(rowsTotal, c0 + r);
                        for (int a = 0; a < k; a++) {
                            Matrix delta = f.signals()[a][l];
                            Matrix input = f.inputs()[l];
                            var jbuf = jb.buffer();
                            var dbuf = delta.buffer();
                            var ibuf = input.buffer();
                            int width = (c1 - c0) * in + (beta != 0 ? (c1 - c0) : 0);
                            for (int i = 0; i < n; i++) {
                                int base = i * cols;
                                for (int c = c0; c < c1; c++) {
                                    double dv = s * dbuf.get(i * out + c);
                                    int off = base + (c - c0) * in;
                                    for (int d = 0; d < in; d++) {
                                        jbuf.put(off + d, dv * ibuf.get(i * in + d));
                                    }
                                }
                                if (beta != 0) {
                                    for (int c = c0; c < c1; c++) {
                                        jbuf.put(base + (c1 - c0) * in + (c - c0), beta * dbuf.get(i * out + c));
                                    }
                                }
                                for (int z = width; z < cols; z++) {
                                    jbuf.put(base + z, 0.0);
                                }
                            }
                            Blas.syrk(false, 1.0, jb, 1.0, g);
                        }
                    }
                }
            }
        }
        return g;
    }
}
