package org.overparam.nn;

import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;

/** A pointwise activation y = σ(x); backward dx = dy ⊙ σ'(x). */
final class ActOp extends Op {
    final Activation act;

    ActOp(Shape in, Activation act) {
        super(in, in);
        this.act = act;
    }

    @Override
    void forward(Matrix x, Matrix y, Matrix params, Object scratch) {
        var xb = x.buffer();
        var yb = y.buffer();
        int width = in.size();
        Parallel.forRange((int) x.size(), width, (from, to) -> act.biasAndActivate(xb, yb, null, 0.0, width, from, to));
    }

    @Override
    void backward(Matrix x, Matrix y, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha, double beta,
            Object scratch, Hook hook) {
        if (dx == null) {
            return;
        }
        dx.copyFrom(dy);
        var db = dx.buffer();
        var xb = x.buffer();
        Parallel.forRange((int) dx.size(), in.size(), (from, to) -> act.multiplyDerivative(db, xb, from, to));
    }
}
