package org.overparam.nn;

import java.util.SplittableRandom;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;

/**
 * A 2-D convolution (cross-correlation, as PyTorch's nn.Conv2d) through GEMM on OpenBLAS: the patches of a block of
 * samples are unrolled into a matrix P (one row per output position (i, y, x), one column per (c, ky, kx): im2col),
 * so the layer is Zᵀ = s·P·Wᵀ with W out × (in·K·K), PyTorch's (out, in, kh, kw) weight flattened, and the
 * gradients are Wᵀ-side GEMMs on the same matrices (col2im scatters the input gradient back). Zero padding; SAME
 * pads ⌊total/2⌋ before and the rest after (TensorFlow's and neural-tangents' rule).
 */
final class ConvOp extends Op {
    /** Doubles per im2col block (32 MB): blocks of samples keep the unrolled patches in cache-friendly memory. */
    static final int BLOCK_DOUBLES = 1 << 22;

    private final Arch.Conv conv;
    private final LayerScale scale;
    private final int padTop;
    private final int padLeft;
    private final int patch; // in·K·K
    private final int positions; // Ho·Wo

    ConvOp(Shape in, Arch.Conv conv, LayerScale scale) {
        super(in, Arch.outputShape(conv, in));
        this.conv = conv;
        this.scale = scale;
        this.padTop = conv.padBefore(in.height());
        this.padLeft = conv.padBefore(in.width());
        this.patch = in.channels() * conv.kernel() * conv.kernel();
        this.positions = out.height() * out.width();
    }

    Arch.Conv spec() {
        return conv;
    }

    LayerScale scale() {
        return scale;
    }

    @Override
    long length() {
        return (long) conv.out() * patch + (scale.hasBias() ? conv.out() : 0);
    }

    Matrix weight(Matrix flat) {
        return Matrix.view(flat.pointer(), offset, conv.out(), patch);
    }

    Matrix bias(Matrix flat) {
        return scale.hasBias() ? Matrix.view(flat.pointer(), offset + (long) conv.out() * patch, 1, conv.out()) : null;
    }

    @Override
    void initialize(Matrix params, SplittableRandom rng) {
        scale.draw(weight(params), rng);
        if (scale.hasBias()) {
            scale.draw(bias(params), rng);
        }
    }

    /** Samples per im2col block. */
    private int blockSamples(int capacity) {
        long perSample = (long) positions * Math.max(patch, conv.out());
        return (int) Math.max(1, Math.min(capacity, BLOCK_DOUBLES / Math.max(1, perSample)));
    }

    /** The unrolled patches P and the transposed outputs Zᵀ of one block of samples. */
    private record Scratch(Matrix patches, Matrix zt, int samples) implements AutoCloseable {
        @Override
        public void close() {
            patches.close();
            zt.close();
        }
    }

    @Override
    AutoCloseable scratch(int capacity) {
        int b = blockSamples(capacity);
        return new Scratch(Matrix.zeros(b * positions, patch), Matrix.zeros(b * positions, conv.out()), b);
    }

    /** P's rows for samples [i0, i1): row (i − i0)·Ho·Wo + oy·Wo + ox, column (c·K + ky)·K + kx. */
    private void im2col(Matrix x, int i0, int i1, Matrix p) {
        patches(x, i0, i1, p, false);
    }

    /** dx[i] += the patch gradients dP scattered back to the pixels they were read from (im2col's adjoint). */
    private void col2im(Matrix dp, int i0, int i1, Matrix dx) {
        patches(dx, i0, i1, dp, true);
    }

    /**
     * The one walk over every (sample, output position, channel, ky, kx) of a block: gathers the pixels into P
     * ({@code scatter} false; padding reads 0) or adds P back onto the pixels ({@code scatter} true; padding dropped),
     * so the two directions cannot disagree on the layout.
     */
    private void patches(Matrix image, int i0, int i1, Matrix p, boolean scatter) {
        var xb = image.buffer();
        var pb = p.buffer();
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        int k = conv.kernel();
        int s = conv.stride();
        int ho = out.height();
        int wo = out.width();
        int inSize = in.size();
        int row = 0;
        for (int i = i0; i < i1; i++) {
            int xi = i * inSize;
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++, row++) {
                    int base = row * patch;
                    int col = 0;
                    for (int ch = 0; ch < c; ch++) {
                        int xc = xi + ch * h * w;
                        for (int ky = 0; ky < k; ky++) {
                            int yy = oy * s + ky - padTop;
                            boolean rowIn = yy >= 0 && yy < h;
                            for (int kx = 0; kx < k; kx++, col++) {
                                int xx = ox * s + kx - padLeft;
                                boolean inside = rowIn && xx >= 0 && xx < w;
                                if (!scatter) {
                                    pb.put(base + col, inside ? xb.get(xc + yy * w + xx) : 0.0);
                                } else if (inside) {
                                    int at = xc + yy * w + xx;
                                    xb.put(at, xb.get(at) + pb.get(base + col));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** y[i, o, p] = zt[(i − i0)·positions + p, o] + c·b[o]: the block's outputs in (C, H, W) order. */
    private void untranspose(Matrix zt, int i0, int i1, Matrix y, Matrix b, double c) {
        var zb = zt.buffer();
        var yb = y.buffer();
        var bb = b == null ? null : b.buffer();
        int oc = conv.out();
        int outSize = out.size();
        for (int i = i0; i < i1; i++) {
            int zi = (i - i0) * positions * oc;
            int yi = i * outSize;
            for (int o = 0; o < oc; o++) {
                double bias = bb == null ? 0.0 : c * bb.get(o);
                int yo = yi + o * positions;
                for (int p = 0; p < positions; p++) {
                    yb.put(yo + p, zb.get(zi + p * oc + o) + bias);
                }
            }
        }
    }

    /** zt[(i − i0)·positions + p, o] = dy[i, o, p]. */
    private void transpose(Matrix dy, int i0, int i1, Matrix zt) {
        var db = dy.buffer();
        var zb = zt.buffer();
        int oc = conv.out();
        int outSize = out.size();
        for (int i = i0; i < i1; i++) {
            int zi = (i - i0) * positions * oc;
            int di = i * outSize;
            for (int o = 0; o < oc; o++) {
                int d = di + o * positions;
                for (int p = 0; p < positions; p++) {
                    zb.put(zi + p * oc + o, db.get(d + p));
                }
            }
        }
    }

    @Override
    void forward(Matrix x, Matrix y, Matrix params, Object scratch) {
        Scratch sc = (Scratch) scratch;
        Matrix w = weight(params);
        Matrix b = bias(params);
        for (int i0 = 0; i0 < x.rows(); i0 += sc.samples()) {
            int i1 = Math.min(x.rows(), i0 + sc.samples());
            Matrix p = sc.patches().rowBlock(0, (i1 - i0) * positions);
            Matrix zt = sc.zt().rowBlock(0, (i1 - i0) * positions);
            im2col(x, i0, i1, p);
            Blas.gemm(false, true, scale.weight(), p, w, 0.0, zt);
            untranspose(zt, i0, i1, y, b, scale.bias());
        }
    }

    @Override
    void backward(Matrix x, Matrix y, Matrix dy, Matrix dx, Matrix params, Matrix target, double alpha, double beta,
            Object scratch, Hook hook) {
        if (hook != null) {
            hook.at(this, x, dy, scratch);
        }
        Scratch sc = (Scratch) scratch;
        int n = x.rows();
        if (dx != null) {
            // every block's input gradient first, with the weights before any update
            dx.fill(0.0);
            Matrix w = weight(params);
            for (int i0 = 0; i0 < n; i0 += sc.samples()) {
                int i1 = Math.min(n, i0 + sc.samples());
                Matrix zt = sc.zt().rowBlock(0, (i1 - i0) * positions);
                Matrix dp = sc.patches().rowBlock(0, (i1 - i0) * positions);
                transpose(dy, i0, i1, zt);
                Blas.gemm(false, false, scale.weight(), zt, w, 0.0, dp);
                col2im(dp, i0, i1, dx);
            }
        }
        if (target != null) {
            Matrix gw = weight(target);
            Matrix gb = bias(target);
            double bw = beta;
            for (int i0 = 0; i0 < n; i0 += sc.samples()) {
                int i1 = Math.min(n, i0 + sc.samples());
                Matrix zt = sc.zt().rowBlock(0, (i1 - i0) * positions);
                Matrix p = sc.patches().rowBlock(0, (i1 - i0) * positions);
                transpose(dy, i0, i1, zt);
                im2col(x, i0, i1, p);
                Blas.gemm(true, false, alpha * scale.weight(), zt, p, bw, gw);
                if (gb != null) {
                    DenseOp.columnSums(zt, alpha * scale.bias(), bw, gb);
                }
                bw = 1.0; // later blocks add to the first's
            }
        }
    }

    @Override
    void perSampleGradient(Matrix x, Matrix dy, Matrix params, Matrix rows, Object scratch) {
        Scratch sc = (Scratch) scratch;
        int len = (int) length();
        int oc = conv.out();
        var rb = rows.buffer();
        var db = dy.buffer();
        for (int i0 = 0; i0 < x.rows(); i0 += sc.samples()) {
            int i1 = Math.min(x.rows(), i0 + sc.samples());
            Matrix zt = sc.zt().rowBlock(0, (i1 - i0) * positions);
            Matrix p = sc.patches().rowBlock(0, (i1 - i0) * positions);
            transpose(dy, i0, i1, zt);
            im2col(x, i0, i1, p);
            for (int i = i0; i < i1; i++) {
                // G_i = s·(dZ_iᵀ)ᵀ·P_i: out × (in·K·K), row i of the block in W's layout
                Matrix g = Matrix.view(rows.pointer(), (long) i * len, oc, patch);
                Blas.gemm(true, false, scale.weight(), zt.rowBlock((i - i0) * positions, (i - i0 + 1) * positions),
                        p.rowBlock((i - i0) * positions, (i - i0 + 1) * positions), 0.0, g);
                if (scale.hasBias()) {
                    int d = i * out.size();
                    for (int o = 0; o < oc; o++) {
                        double s = 0;
                        for (int q = 0; q < positions; q++) {
                            s += db.get(d + o * positions + q);
                        }
                        rb.put(i * len + oc * patch + o, scale.bias() * s);
                    }
                }
            }
        }
    }
}
