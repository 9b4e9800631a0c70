package org.overparam.nn;

import java.util.SplittableRandom;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;

/** A fully connected layer y = s·x·Wᵀ + β·b, W out × in (PyTorch's nn.Linear layout), b of length out. */
final class DenseOp extends Op {
    private final LayerScale scale;

    DenseOp(Shape in, int out, LayerScale scale) {
        super(in, Shape.flat(out));
        this.scale = scale;
    }

    private int din() {
        return in.size();
    }

    private int dout() {
        return out.size();
    }

    LayerScale scale() {
        return scale;
    }

    @Override
    long length() {
        return (long) din() * dout() + (scale.hasBias() ? dout() : 0);
    }

    Matrix weight(Matrix flat) {
        return Matrix.view(flat.pointer(), offset, dout(), din());
    }

    Matrix bias(Matrix flat) {
        return scale.hasBias() ? Matrix.view(flat.pointer(), offset + (long) din() * dout(), 1, dout()) : null;
    }

    @Override
    void initialize(Matrix params, SplittableRandom rng) {
        scale.draw(weight(params), rng);
        if (scale.hasBias()) {
            scale.draw(bias(params), rng);
        }
    }

    @Override
    void forward(Matrix x, Matrix y, Matrix params, Object scratch) {
        Blas.gemm(false, true, scale.weight(), x, weight(params), 0.0, y);
        Matrix b = bias(params);
        if (b != null) {
            addRow(y, b, scale.bias());
        }
    }

    /** y[i, :] += c·b for every row. */
    static void addRow(Matrix y, Matrix b, double c) {
        var yb = y.buffer();
        var bb = b.buffer();
        int w = y.cols();
        for (int k = 0, size = (int) y.size(); k < size; k++) {
            yb.put(k, yb.get(k) + c * bb.get(k % w));
        }
    }

    @Override
    void backward(Matrix x, Matrix y, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha, double beta,
            Object scratch, Hook hook) {
        if (hook != null) {
            hook.at(this, x, dy, scratch);
        }
        if (dx != null) {
            Blas.gemm(false, false, scale.weight(), dy, weight(params), 0.0, dx);
        }
        if (target != null) {
            Blas.gemm(true, false, alpha * scale.weight(), dy, x, beta, weight(target));
            Matrix gb = bias(target);
            if (gb != null) {
                columnSums(dy, alpha * scale.bias(), beta, gb);
            }
        }
    }

    /** g ← c·(1ᵀ·m) + beta·g: the sums of m's columns. */
    static void columnSums(Matrix m, double c, double beta, Matrix g) {
        int cols = m.cols();
        double[] s = new double[cols];
        var mb = m.buffer();
        for (int i = 0, rows = m.rows(); i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                s[j] += mb.get(base + j);
            }
        }
        var gb = g.buffer();
        for (int j = 0; j < cols; j++) {
            gb.put(j, c * s[j] + (beta == 0.0 ? 0.0 : beta * gb.get(j)));
        }
    }

    @Override
    void perSampleGradient(Matrix x, Matrix dy, Matrix params, Matrix rows, Object scratch) {
        int len = (int) length();
        var xb = x.buffer();
        var db = dy.buffer();
        var rb = rows.buffer();
        int din = din();
        int dout = dout();
        double s = scale.weight();
        double beta = scale.bias();
        for (int i = 0, n = x.rows(); i < n; i++) {
            int r = i * len;
            for (int o = 0; o < dout; o++) {
                double g = s * db.get(i * dout + o);
                int base = r + o * din;
                for (int d = 0; d < din; d++) {
                    rb.put(base + d, g * xb.get(i * din + d));
                }
            }
            if (scale.hasBias()) {
                for (int o = 0; o < dout; o++) {
                    rb.put(r + dout * din + o, beta * db.get(i * dout + o));
                }
            }
        }
    }
}
