package org.overparam.kernel;

import java.util.BitSet;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.nn.Workspace;

/**
 * The two factors of every counted layer's per-sample gradients, for all n samples: the layer inputs
 * A_{l−1} (n × width_l; A_{−1} = X) and the backpropagated signals Δ_l^a = ∂h_a/∂Z_l (n × width_{l+1}),
 * one per output a. The gradient of h_a(x_i) with respect to W_l is s_l·Δ_l^a[i] ⊗ A_{l−1}[i], and
 * with respect to b_l it is β_l·Δ_l^a[i]. Computed by forward/backward passes over blocks of samples.
 */
record LayerFactors(Matrix[] inputs, Matrix[][] signals, Matrix x, Workspace whole) implements AutoCloseable {

    /** Forward/backward over all samples at once (no copies) when the buffers take at most this many bytes. */
    static final long WHOLE_BYTES = 3L << 30;

    static LayerFactors compute(Network net, Matrix x, BitSet counted, int block) {
        long perRow = 0;
        for (int width : net.widths()) {
            perRow += 3L * width * (1 + net.widths()[net.layers()]);
        }
        if (8L * perRow * x.rows() <= WHOLE_BYTES) {
            return wholeBatch(net, x, counted);
        }
        return blocked(net, x, counted, block);
    }

    /**
     * One forward pass over all n samples; the layer inputs are the workspace's own activation buffers and
     * the signals are written in place — nothing is copied.
     */
    private static LayerFactors wholeBatch(Network net, Matrix x, BitSet counted) {
        int n = x.rows();
        int[] w = net.widths();
        int depth = net.layers();
        int k = w[depth];
        int lowest = counted.nextSetBit(0);
        Workspace ws = net.workspace(n);
        net.forward(x, ws);
        Matrix[] inputs = new Matrix[depth];
        for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
            inputs[l] = l == 0 ? x : ws.activation(l - 1);
        }
        Matrix[][] signals = new Matrix[k][depth];
        try (Matrix d = Matrix.zeros(n, k)) {
            for (int a = 0; a < k; a++) {
                for (int l = lowest; l < depth; l++) {
                    signals[a][l] = Matrix.uninitialized(n, w[l + 1]); // written by net.signals before any read
                }
                d.fill(0.0);
                for (int i = 0; i < n; i++) {
                    d.set(i, a, 1.0);
                }
                net.signals(ws, d, lowest, signals[a]);
            }
        }
        return new LayerFactors(inputs, signals, x, ws);
    }

    private static LayerFactors blocked(Network net, Matrix x, BitSet counted, int block) {
        int n = x.rows();
        int[] w = net.widths();
        int depth = net.layers();
        int k = w[depth];
        int lowest = counted.nextSetBit(0);
        Matrix[] inputs = new Matrix[depth];
        Matrix[][] signals = new Matrix[k][depth];
        for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
            inputs[l] = l == 0 ? x : Matrix.zeros(n, w[l]);
            for (int a = 0; a < k; a++) {
                signals[a][l] = Matrix.zeros(n, w[l + 1]);
            }
        }
        int fb = Math.min(n, block);
        try (Workspace ws = net.workspace(fb); Matrix dOut = Matrix.zeros(fb, k)) {
            Matrix[] sig = new Matrix[depth];
            for (int l = 0; l < depth; l++) {
                sig[l] = Matrix.zeros(fb, w[l + 1]);
            }
            for (int from = 0; from < n; from += fb) {
                int to = Math.min(n, from + fb);
                int rows = to - from;
                net.forward(x.rowBlock(from, to), ws);
                for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
                    if (l > 0) {
                        inputs[l].rowBlock(from, to).copyFrom(ws.activation(l - 1));
                    }
                }
                Matrix[] rowsSig = new Matrix[depth];
                for (int l = 0; l < depth; l++) {
                    rowsSig[l] = sig[l].rowBlock(0, rows);
                }
                for (int a = 0; a < k; a++) {
                    Matrix d = dOut.rowBlock(0, rows).fill(0.0);
                    for (int i = 0; i < rows; i++) {
                        d.set(i, a, 1.0);
                    }
                    net.signals(ws, d, lowest, rowsSig);
                    for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
                        signals[a][l].rowBlock(from, to).copyFrom(rowsSig[l]);
                    }
                }
            }
            for (Matrix m : sig) {
                m.close();
            }
        }
        return new LayerFactors(inputs, signals, x, null);
    }

    @Override
    public void close() {
        for (int l = 0; l < inputs.length; l++) {
            if (inputs[l] != null && inputs[l] != x && whole == null) {
                inputs[l].close();
            }
            for (Matrix[] perOutput : signals) {
                if (perOutput[l] != null) {
                    perOutput[l].close();
                }
            }
        }
        if (whole != null) {
            whole.close();
        }
    }
}
