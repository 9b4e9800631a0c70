package org.overparam.kernel;

import java.util.BitSet;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.nn.Workspace;

/**
 * The per-sample Jacobian materialized: row i·k + a holds ∂h_a(x_i)/∂θ over the counted layers'
 * parameters (in the flat-parameter order: W_l row-major, then b_l, layer by layer). Built from one
 * backward pass per (sample, output) through the same code that computes training gradients, so it is
 * an independent route to the Gram JJᵀ that {@link EmpiricalNtk} computes by structure. For small n·P.
 */
public final class Jacobian {
    /** Refuse above this many entries (8 GB): use the structured Gram instead. */
    public static final long MAX_ENTRIES = 1L << 30;

    private Jacobian() {
    }

    /** J (n·k × P_counted); {@code layers} null = the trainable layers. */
    public static Matrix compute(Network net, Matrix x, BitSet layers) {
        int n = x.rows();
        int[] w = net.widths();
        int k = w[net.layers()];
        BitSet counted = layers != null ? layers : EmpiricalNtk.trainableLayers(net);
        long cols = 0;
        for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
            cols += net.layerLength(l);
        }
        if ((long) n * k * cols > MAX_ENTRIES || (long) n * k * cols > Integer.MAX_VALUE - 8L) {
            throw new InputError("the Jacobian would have " + ((long) n * k * cols) + " entries; too large to "
                    + "materialize — use the structured NTK (the default) for the Gram");
        }
        Matrix j = Matrix.zeros(n * k, (int) cols);
        // A network whose trainable set is exactly the counted layers, sharing nothing with net's training state.
        try (Network probe = net.copyWithTrainable(counted); Workspace ws = probe.workspace(1);
                Matrix grad = probe.newParameterVector(); Matrix d = Matrix.zeros(1, k)) {
            for (int i = 0; i < n; i++) {
                Matrix xi = x.rowBlock(i, i + 1);
                for (int a = 0; a < k; a++) {
                    probe.forward(xi, ws);
                    d.fill(0.0).set(0, a, 1.0);
                    probe.backward(xi, ws, d, grad, 1.0, 0.0);
                    int col = 0;
                    for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
                        int len = (int) probe.layerLength(l);
                        Matrix src = Matrix.view(grad.pointer(), probe.layerOffset(l), 1, len);
                        Matrix dst = Matrix.view(j.pointer(), (long) (i * k + a) * cols + col, 1, len);
                        dst.copyFrom(src);
                        col += len;
                    }
                }
            }
        }
        return j;
    }
}
