package org.overparam.nn;

import org.overparam.linalg.Matrix;

/** (C, H, W) → C·H·W in the same order: the values are already stored that way, so a copy each way. */
final class FlattenOp extends Op {
    FlattenOp(Shape in) {
        super(in, Shape.flat(in.size()));
    }

    @Override
    void forward(Matrix x, Matrix y, Matrix params, Object scratch) {
        y.copyFrom(x);
    }

    @Override
    void backward(Matrix x, Matrix y, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha, double beta,
            Object scratch, Hook hook) {
        if (dx != null) {
            dx.copyFrom(dy);
        }
    }
}
