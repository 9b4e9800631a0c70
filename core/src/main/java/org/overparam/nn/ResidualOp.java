package org.overparam.nn;

import java.util.SplittableRandom;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;

/**
 * A residual block y = x + c·branch(x) with an identity skip (He et al. 2016; Du, Lee, Li, Wang &amp; Zhai 2019
 * write x_h = x_{h−1} + (c_res/(H√m))·σ(W_h x_{h−1}), i.e. c = c_res/(H√m) and the branch conv or dense then σ).
 * Backward: dx = dy + branch'ᵀ(c·dy).
 */
final class ResidualOp extends Op {
    final double c;
    final Chain branch;

    ResidualOp(Shape in, double c, Chain branch) {
        super(in, in);
        this.c = c;
        this.branch = branch;
    }

    @Override
    long length() {
        return 0; // the branch's layers own the parameters (Chain.place gives them their offsets)
    }

    @Override
    void initialize(Matrix params, SplittableRandom rng) {
        branch.initialize(params, rng);
    }

    /** The branch's buffers and the scaled signal c·dy. */
    private record Scratch(Chain.Buffers buffers, Matrix scaled) implements AutoCloseable {
        @Override
        public void close() {
            buffers.close();
            scaled.close();
        }
    }

    @Override
    AutoCloseable scratch(int capacity) {
        return new Scratch(branch.buffers(capacity, true), Matrix.zeros(capacity, out.size()));
    }

    @Override
    void forward(Matrix x, Matrix y, Matrix params, Object scratch) {
        Scratch s = (Scratch) scratch;
        Matrix b = branch.forward(x, s.buffers(), params);
        y.copyFrom(x);
        Vectors.axpy(c, b, y);
    }

    @Override
    void backward(Matrix x, Matrix y, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha, double beta,
            Object scratch, Hook hook) {
        Scratch s = (Scratch) scratch;
        Matrix scaled = s.scaled().rowBlock(0, dy.rows());
        scaled.copyFrom(dy);
        Vectors.scale(c, scaled);
        // the branch needs its input gradient only when ours is asked for; its parameters' gradients always
        Matrix db = dx == null ? null : s.buffers().dx[0].rowBlock(0, dy.rows());
        branch.backward(x, s.buffers(), scaled, db, params, target, alpha, beta, hook);
        if (dx != null) {
            dx.copyFrom(dy);
            Vectors.axpy(1.0, db, dx);
        }
    }
}
