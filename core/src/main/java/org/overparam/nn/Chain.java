package org.overparam.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.overparam.linalg.Matrix;

/**
 * Layers applied in order (a network's body, or a residual block's branch), with the buffers of one batched pass:
 * every layer's output and the gradient with respect to its input, allocated once per capacity and reused.
 */
final class Chain {
    final List<Op> ops;

    Chain(List<Op> ops) {
        this.ops = List.copyOf(ops);
    }

    Shape in() {
        return ops.get(0).in;
    }

    Shape out() {
        return ops.get(ops.size() - 1).out;
    }

    long length() {
        long p = 0;
        for (Op o : ops) {
            p += o.length();
        }
        return p;
    }

    /** Assigns parameter offsets depth-first from {@code start}; returns the next free offset. */
    long place(long start) {
        long p = start;
        for (Op o : ops) {
            if (o instanceof ResidualOp r) {
                p = r.branch.place(p);
            } else if (o.length() > 0) {
                o.offset = p;
                p += o.length();
            }
        }
        return p;
    }

    void initialize(Matrix params, SplittableRandom rng) {
        for (Op o : ops) {
            o.initialize(params, rng);
        }
    }

    /** Every op with parameters, depth-first (the flat vector's order). */
    List<Op> weighted() {
        List<Op> w = new ArrayList<>();
        for (Op o : ops) {
            if (o instanceof ResidualOp r) {
                w.addAll(r.branch.weighted());
            } else if (o.length() > 0) {
                w.add(o);
            }
        }
        return w;
    }

    Buffers buffers(int capacity, boolean inputGradient) {
        return new Buffers(capacity, inputGradient);
    }

    /** Forward through every op; returns the last output (a view of the buffers). */
    Matrix forward(Matrix x, Buffers b, Matrix params) {
        int n = x.rows();
        b.rows = n;
        Matrix cur = x;
        for (int i = 0; i < ops.size(); i++) {
            Matrix y = b.y[i].rowBlock(0, n);
            ops.get(i).forward(cur, y, params, b.scratch[i]);
            cur = y;
        }
        return cur;
    }

    /** Backward from dy (the last output's signal, not modified) to dx (may be null), see {@link Op#backward}. */
    void backward(Matrix x, Buffers b, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha, double beta,
            Op.Hook hook) {
        int n = b.rows;
        Matrix signal = dy;
        for (int i = ops.size() - 1; i >= 0; i--) {
            Matrix in = i == 0 ? x : b.y[i - 1].rowBlock(0, n);
            Matrix into = i == 0 ? dx : b.dx[i].rowBlock(0, n);
            ops.get(i).backward(in, b.y[i].rowBlock(0, n), signal, into, params, target, alpha, beta, b.scratch[i],
                    hook);
            signal = into;
        }
    }

    /** Outputs and input gradients of every op for up to {@code capacity} rows. */
    final class Buffers implements AutoCloseable {
        final int capacity;
        final Matrix[] y;
        final Matrix[] dx;
        final Object[] scratch;
        int rows;

        Buffers(int capacity, boolean inputGradient) {
            this.capacity = capacity;
            int k = ops.size();
            y = new Matrix[k];
            dx = new Matrix[k];
            scratch = new Object[k];
            for (int i = 0; i < k; i++) {
                Op o = ops.get(i);
                y[i] = Matrix.zeros(capacity, o.out.size());
                // the first op's input gradient is the chain's: only a residual branch needs it
                dx[i] = i > 0 || inputGradient ? Matrix.zeros(capacity, o.in.size()) : null;
                scratch[i] = o.scratch(capacity);
            }
        }

        @Override
        public void close() {
            for (int i = 0; i < y.length; i++) {
                y[i].close();
                if (dx[i] != null) {
                    dx[i].close();
                }
                if (scratch[i] != null) {
                    try {
                        ((AutoCloseable) scratch[i]).close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }
}
