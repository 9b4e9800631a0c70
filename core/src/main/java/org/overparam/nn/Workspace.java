package org.overparam.nn;

import org.overparam.linalg.Matrix;

/**
 * Buffers of one forward/backward pass for batches of up to {@code capacity} rows, allocated once and
 * reused every step (fresh 65 MB buffers cost tens of milliseconds in page faults). A pass on a smaller
 * batch uses the leading rows.
 */
public final class Workspace implements AutoCloseable {
    final int capacity;
    final Matrix[] z;
    final Matrix[] h;
    final Matrix deltaA;
    final Matrix deltaB;
    final Matrix ones;
    int rows;

    Workspace(int[] widths, int capacity) {
        this.capacity = capacity;
        int layers = widths.length - 1;
        z = new Matrix[layers];
        h = new Matrix[layers - 1];
        int maxWidth = 1;
        for (int l = 0; l < layers; l++) {
            // written in full (GEMM with beta = 0, then the activation pass) before they are read: no zero fill
            z[l] = Matrix.uninitialized(capacity, widths[l + 1]);
            if (l < layers - 1) {
                h[l] = Matrix.uninitialized(capacity, widths[l + 1]);
            }
            maxWidth = Math.max(maxWidth, widths[l + 1]);
        }
        deltaA = Matrix.uninitialized(capacity, maxWidth);
        deltaB = Matrix.uninitialized(capacity, maxWidth);
        ones = Matrix.zeros(capacity, 1).fill(1.0);
    }

    /** Pre-activations of layer l for the current batch (rows × width). */
    public Matrix preActivation(int l) {
        return z[l].rowBlock(0, rows);
    }

    /** Post-activations of hidden layer l for the current batch. */
    public Matrix activation(int l) {
        return h[l].rowBlock(0, rows);
    }

    /** The network output for the current batch (rows × k). */
    public Matrix output() {
        return z[z.length - 1].rowBlock(0, rows);
    }

    public int rows() {
        return rows;
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public void close() {
        for (Matrix m : z) {
            m.close();
        }
        for (Matrix m : h) {
            m.close();
        }
        deltaA.close();
        deltaB.close();
        ones.close();
    }
}
