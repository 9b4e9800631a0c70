package org.overparam.nn;

import java.util.SplittableRandom;
import org.overparam.linalg.Matrix;

/**
 * One layer of a {@link LayerNet} bound to its input shape: a batched map from n × in.size() rows to
 * n × out.size() rows (each row one sample in (C, H, W) order), its backward pass, and for layers with
 * parameters their block [offset, offset + length) of the network's flat vector and the per-sample gradient rows
 * the empirical NTK is built from. Samples never mix, so the backpropagated signal of row i is sample i's.
 */
abstract class Op {
    final Shape in;
    final Shape out;
    /** Offset of the parameter block in the flat vector (−1 without parameters). */
    long offset = -1;

    Op(Shape in, Shape out) {
        this.in = in;
        this.out = out;
    }

    /** Parameters of this layer (0 for pooling, activations, reshapes; a residual block's are its branch's). */
    long length() {
        return 0;
    }

    /** Draws the initial parameters into {@code params} (the whole flat vector). */
    void initialize(Matrix params, SplittableRandom rng) {
    }

    /** Per-batch buffers this op needs beyond its output and input-gradient (null: none). */
    AutoCloseable scratch(int capacity) {
        return null;
    }

    /** y ← op(x) for the rows of x. */
    abstract void forward(Matrix x, Matrix y, Matrix params, Object scratch);

    /**
     * With dy = ∂(·)/∂y (not modified): dx ← ∂(·)/∂x when dx is not null, computed with the current parameters
     * first; then, when target is not null, target's block ← alpha·∂(·)/∂w + beta·target's block (target may be
     * the parameters themselves: the gradient step). {@code hook}, when not null, receives every layer with
     * parameters and its signals (the per-sample gradient rows of the kernel).
     */
    abstract void backward(Matrix x, Matrix y, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha,
            double beta, Object scratch, Hook hook);

    /**
     * Sample i's gradient of Σ_j dy_j·y_j in this layer's parameters, written to {@code rows}: row i (length
     * {@link #length()}) in the layout of the flat vector, for the rows of x.
     */
    void perSampleGradient(Matrix x, Matrix dy, Matrix params, Matrix rows, Object scratch) {
    }

    /** Receives, during a backward pass, each layer with parameters, its input and its output signal. */
    interface Hook {
        void at(Op op, Matrix x, Matrix dy, Object scratch);
    }

    /** The parameter block of this op inside any vector with the flat layout, as a column. */
    Matrix block(Matrix flat) {
        return Matrix.view(flat.pointer(), offset, (int) length(), 1);
    }
}
