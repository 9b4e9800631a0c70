package org.overparam.nn;

import org.overparam.linalg.Matrix;

/**
 * What training, the empirical kernel and the checks stated for general networks need from a network h(x; w):
 * its parameters as one flat off-heap vector w (so an update, a distance or a direction is one BLAS call), a
 * batched forward pass and the backward pass of the gradient, grouped into parameter blocks (one per layer with
 * parameters) for per-layer distances.
 *
 * <p>Two implementations: {@link Network}, the fully connected net with its factorized kernels and the neuron-level
 * quantities the two-layer theorems talk about, and {@link LayerNet}, any composition of the layers of an
 * {@link Arch} (convolutions, pooling, residual blocks). Inputs are rows: x is n × inputSize, an image flattened
 * in PyTorch's (C, H, W) order.
 */
public interface Model extends AutoCloseable {
    /** Values per input row (d for a fully connected net, C·H·W for images). */
    int inputSize();

    /** The architecture in words, e.g. {@code 10-64-1 relu ntk} (progress lines, reports). */
    String describe();

    /** Outputs per input (k). */
    int outputSize();

    /** The flat parameter vector (P × 1); writes change the network. */
    Matrix parameters();

    /** A zero vector with the parameter layout (gradients, directions). */
    default Matrix newParameterVector() {
        return Matrix.zeros((int) parameters().size(), 1);
    }

    /** Number of parameters (trained and frozen). */
    default long parameterCount() {
        return parameters().size();
    }

    /** Number of trained parameters. */
    long trainableCount();

    /** Number of parameter blocks (one per layer that has parameters). */
    int layers();

    /** Offset of block l inside the flat vector. */
    long layerOffset(int l);

    /** Length of block l. */
    long layerLength(int l);

    /** Buffers for forward/backward passes on batches of up to {@code rows} samples. */
    Pass pass(int rows);

    /** Outputs for x as a new matrix (for evaluation, not the training loop). */
    Matrix predict(Matrix x);

    /** An independent copy (same architecture and weights). */
    Model copy();

    @Override
    void close();

    /** One forward/backward pass's buffers, reused across steps. */
    interface Pass extends AutoCloseable {
        /** Forward pass; the output (rows × k) is a view valid until the next use of this pass. */
        Matrix forward(Matrix x);

        /**
         * After {@link #forward}: with dOut = ∂L/∂h (rows × k, overwritten), target ← alpha·∇_w L + beta·target for
         * every trained block; frozen blocks are untouched. With target = parameters, alpha = −η, beta = 1 this is
         * the gradient step, every weight read for the backpropagated signal before it is updated.
         */
        void backward(Matrix x, Matrix dOut, Matrix target, double alpha, double beta);

        @Override
        void close();
    }
}
