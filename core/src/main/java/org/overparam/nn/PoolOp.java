package org.overparam.nn;

import org.overparam.linalg.Matrix;

/**
 * Average pooling over windows of K×K pixels with stride K (VALID: a partial window at the edge is dropped), and
 * global average pooling as the window covering the whole image; backward spreads dy/area over each window.
 */
final class PoolOp extends Op {
    private final int wy;
    private final int wx;

    /** Windows of {@code window}×{@code window}, or the whole image when {@code window} is 0. */
    PoolOp(Shape in, int window) {
        super(in, window == 0 ? Shape.flat(in.channels())
                : Shape.image(in.channels(), in.height() / window, in.width() / window));
        this.wy = window == 0 ? in.height() : window;
        this.wx = window == 0 ? in.width() : window;
    }

    private int outH() {
        return in.height() / wy;
    }

    private int outW() {
        return in.width() / wx;
    }

    @Override
    void forward(Matrix x, Matrix y, Matrix params, Object scratch) {
        windows(x, y, false);
    }

    @Override
    void backward(Matrix x, Matrix y, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha, double beta,
            Object scratch, Hook hook) {
        if (dx != null) {
            dx.fill(0.0); // pixels outside every window (a VALID edge) get no gradient
            windows(dx, dy, true);
        }
    }

    /**
     * The one walk over every window: out ← the window's mean of the image ({@code spread} false), or the image's
     * window pixels ← out/area ({@code spread} true, the adjoint).
     */
    private void windows(Matrix image, Matrix pooled, boolean spread) {
        var xb = image.buffer();
        var yb = pooled.buffer();
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        int ho = outH();
        int wo = outW();
        double inv = 1.0 / (wy * wx);
        for (int i = 0, n = image.rows(); i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int xc = i * in.size() + ch * h * w;
                int yc = i * out.size() + ch * ho * wo;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double g = spread ? yb.get(yc + oy * wo + ox) * inv : 0.0;
                        double sum = 0;
                        for (int ky = 0; ky < wy; ky++) {
                            int row = xc + (oy * wy + ky) * w + ox * wx;
                            for (int kx = 0; kx < wx; kx++) {
                                if (spread) {
                                    xb.put(row + kx, g);
                                } else {
                                    sum += xb.get(row + kx);
                                }
                            }
                        }
                        if (!spread) {
                            yb.put(yc + oy * wo + ox, sum * inv);
                        }
                    }
                }
            }
        }
    }
}
