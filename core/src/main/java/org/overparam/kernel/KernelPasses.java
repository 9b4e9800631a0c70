package org.overparam.kernel;

import java.nio.DoubleBuffer;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.DualKernel;
import org.overparam.nn.DualKernels;

/**
 * The fused elementwise passes over a kernel's entries, in place: optionally an activation's dual maps,
 * then optionally a dense layer. Each entry (i, j) needs only K_ij, Θ_ij and the variances K_ii, K_jj, so
 * one read and one write of each matrix per layer; a symmetric kernel visits only its upper triangle
 * (rows paired i with n−1−i so that parallel chunks carry equal work) and is mirrored once at the end.
 */
final class KernelPasses {
    private KernelPasses() {
    }

    /**
     * With {@code dual} (may be null: identity) and {@code dense}:
     * (K, f) ← (E[φφ], E[φ'φ']) or (K, 1); then K ← s_w2·K + s_b2, Θ ← K + s_w2·f·Θ when dense, else Θ ← f·Θ.
     * Diagonals follow K. Symmetric kernels are mirrored on return.
     */
    static void apply(Kernel k, DualKernel dual, boolean dense, double sw2, double sb2) {
        applyUpper(k, dual, dense, sw2, sb2);
        if (k.symmetric()) {
            mirror(k);
        }
    }

    /** As {@link #apply} but a symmetric kernel's lower triangle is left stale (for chains of passes). */
    static void applyUpper(Kernel k, DualKernel dual, boolean dense, double sw2, double sb2) {
        double[] d1 = k.diag1();
        double[] d2 = k.diag2();
        DoubleBuffer kb = k.nngp().buffer();
        DoubleBuffer tb = k.ntk().buffer();
        int n1 = k.rows();
        int n2 = k.cols();
        if (k.symmetric()) {
            int units = (n1 + 1) / 2;
            Parallel.forRange(units * n1, Math.max(n1, 1), (from, to) -> {
                double[] f = new double[1];
                for (int u = from / n1; u < to / n1; u++) {
                    symmetricRow(kb, tb, d1, u, n2, dual, dense, sw2, sb2, f);
                    int v = n1 - 1 - u;
                    if (v != u) {
                        symmetricRow(kb, tb, d1, v, n2, dual, dense, sw2, sb2, f);
                    }
                }
            });
        } else {
            Parallel.forRange(n1 * n2, Math.max(n2, 1), (from, to) -> {
                double[] f = new double[1];
                for (int i = from / n2; i < to / n2; i++) {
                    row(kb, tb, d1, d2, i, 0, n2, n2, dual, dense, sw2, sb2, f);
                }
            });
        }
        // the variances last: every entry above used the previous ones
        transformDiagonal(d1, dual, dense, sw2, sb2);
        if (d2 != d1) {
            transformDiagonal(d2, dual, dense, sw2, sb2);
        }
    }

    /**
     * Row i of the upper triangle. The diagonal entry is the variance map E[φ(u)²] (not E[φ(u)φ(v)] at
     * k12 = k11, which rounds differently), so K_ii stays bit-identical to the tracked variance and the next
     * layer sees an exactly parallel pair (θ = 0) on the diagonal.
     */
    private static void symmetricRow(DoubleBuffer kb, DoubleBuffer tb, double[] d, int i, int n, DualKernel dual,
            boolean dense, double sw2, double sb2, double[] f) {
        int idx = i * n + i;
        double kii = d[i];
        double k = kii;
        double factor = 1.0;
        if (dual != null) {
            k = dual.diagonal(kii);
            factor = dual.ntkFactor(kii, kii, kii);
        }
        double t = tb.get(idx);
        if (dense) {
            k = sw2 * k + sb2;
            t = k + sw2 * factor * t;
        } else {
            t = factor * t;
        }
        kb.put(idx, k);
        tb.put(idx, t);
        row(kb, tb, d, d, i, i + 1, n, n, dual, dense, sw2, sb2, f);
    }

    private static void row(DoubleBuffer kb, DoubleBuffer tb, double[] d1, double[] d2, int i, int fromCol, int toCol,
            int n2, DualKernel dual, boolean dense, double sw2, double sb2, double[] f) {
        double kii = d1[i];
        int base = i * n2;
        for (int j = fromCol; j < toCol; j++) {
            int idx = base + j;
            double kij = kb.get(idx);
            double factor = 1.0;
            if (dual != null) {
                kij = dual.nngpAndFactor(kii, d2[j], kij, f);
                factor = f[0];
            }
            double t = tb.get(idx);
            if (dense) {
                kij = sw2 * kij + sb2;
                t = kij + sw2 * factor * t;
            } else {
                t = factor * t;
            }
            kb.put(idx, kij);
            tb.put(idx, t);
        }
    }

    private static void transformDiagonal(double[] d, DualKernel dual, boolean dense, double sw2, double sb2) {
        for (int i = 0; i < d.length; i++) {
            double v = dual == null ? d[i] : dual.diagonal(d[i]);
            d[i] = dense ? sw2 * v + sb2 : v;
        }
    }

    /** Edge of the square tiles of the all-layer pass (two 32×32 tiles of doubles stay in L1). */
    static final int TILE = 32;

    /**
     * All L (activation, Dense) layers in ONE pass, the result equal bit for bit to L calls of
     * {@link #applyUpper} with {@code dense} and a final {@link #mirror}. Entry (i, j) needs only its own
     * K_ij, Θ_ij and every layer's variances K_ii, K_jj, so the variances of all layers are computed first
     * (O(nL)) and the whole recursion then runs per entry in registers: each matrix is read once and written
     * once instead of L times. The closed-form {@link DualKernels.ABRelu} maps (relu, leaky relu) are
     * evaluated inline with {@link DualKernels#angles}; other maps through {@link DualKernel#nngpAndFactor}.
     *
     * <p>On entry {@code k.nngp()} holds K¹ (for a symmetric kernel only its upper triangle is read) and
     * {@code k.diag1()}, {@code k.diag2()} its variances; {@code k.ntk()} is only written (Θ¹ = K¹ is implied).
     * On return nngp, ntk (both triangles) and the diagonals hold the kernel after the last Dense.
     *
     * <p>A symmetric kernel is walked in TILE × TILE blocks of its upper triangle (block rows paired I with
     * T−1−I, so that parallel chunks carry equal work); each block is computed into small buffers and written
     * to its place and, transposed, to its mirror, so no separate mirror pass is needed.
     */
    static void allLayers(Kernel k, DualKernel[] duals, double sw2, double sb2) {
        int layers = duals.length;
        int n1 = k.rows();
        int n2 = k.cols();
        // per-layer variances: v1[l] are those entering hidden layer l; the kernel's own arrays end as layer L's
        double[][] v1 = new double[layers][];
        double[][] v2 = new double[layers][];
        for (int l = 0; l < layers; l++) {
            v1[l] = k.diag1().clone();
            v2[l] = k.symmetric() ? v1[l] : k.diag2().clone();
            transformDiagonal(k.diag1(), duals[l], true, sw2, sb2);
            if (!k.symmetric()) {
                transformDiagonal(k.diag2(), duals[l], true, sw2, sb2);
            }
        }
        Recursion rec = new Recursion(duals, v1, v2, sw2, sb2);
        DoubleBuffer kb = k.nngp().buffer();
        DoubleBuffer tb = k.ntk().buffer();
        if (k.symmetric()) {
            int n = n1;
            int tiles = (n + TILE - 1) / TILE;
            int units = (tiles + 1) / 2;
            Parallel.forRange(units * n, Math.max(n, 1), (from, to) -> {
                double[] kt = new double[TILE * TILE];
                double[] tt = new double[TILE * TILE];
                Scratch sc = new Scratch();
                for (int u = from / n; u < to / n; u++) {
                    symmetricTileRow(kb, tb, n, u, rec, kt, tt, sc);
                    int v = tiles - 1 - u;
                    if (v != u) {
                        symmetricTileRow(kb, tb, n, v, rec, kt, tt, sc);
                    }
                }
            });
        } else {
            Parallel.forRange(n1 * n2, Math.max(n2, 1), (from, to) -> {
                double[] kt = new double[TILE];
                double[] tt = new double[TILE];
                Scratch sc = new Scratch();
                for (int i = from / n2; i < to / n2; i++) {
                    int base = i * n2;
                    for (int j0 = 0; j0 < n2; j0 += TILE) {
                        int w = Math.min(TILE, n2 - j0);
                        for (int q = 0; q < w; q++) {
                            kt[q] = kb.get(base + j0 + q);
                            tt[q] = kt[q];
                        }
                        rec.segment(i, j0, w, kt, tt, 0, sc);
                        for (int q = 0; q < w; q++) {
                            kb.put(base + j0 + q, kt[q]);
                            tb.put(base + j0 + q, tt[q]);
                        }
                    }
                }
            });
        }
    }

    /** Block row I of the upper triangle: blocks (I, J) for J ≥ I, each also written transposed to (J, I). */
    private static void symmetricTileRow(DoubleBuffer kb, DoubleBuffer tb, int n, int bi, Recursion rec, double[] kt,
            double[] tt, Scratch sc) {
        int i0 = bi * TILE;
        int i1 = Math.min(n, i0 + TILE);
        for (int j0 = i0; j0 < n; j0 += TILE) {
            int j1 = Math.min(n, j0 + TILE);
            for (int i = i0; i < i1; i++) {
                int row = (i - i0) * TILE;
                int jStart = j0;
                if (j0 == i0) { // the diagonal block: its diagonal entry, then the entries right of it
                    kt[row + (i - j0)] = rec.diagonalEntry(i, kb.get(i * n + i), sc.box);
                    tt[row + (i - j0)] = sc.box[0];
                    jStart = i + 1;
                }
                // bulk copies (one bounds check and a memory copy per row segment, not one call per entry)
                int len = j1 - jStart;
                kb.get(i * n + jStart, kt, row + (jStart - j0), len);
                System.arraycopy(kt, row + (jStart - j0), tt, row + (jStart - j0), len);
                rec.segment(i, jStart, len, kt, tt, row + (jStart - j0), sc);
            }
            // the block to its place (upper) and transposed to the mirror (lower); a diagonal block writes its
            // lower part from its own upper part. The transpose goes through a tile in L1 so that both writes
            // are row segments.
            for (int i = i0; i < i1; i++) {
                int row = (i - i0) * TILE;
                int from = j0 == i0 ? i : j0;
                kb.put(i * n + from, kt, row + (from - j0), j1 - from);
                tb.put(i * n + from, tt, row + (from - j0), j1 - from);
            }
            for (int j = j0; j < j1; j++) {
                int to = j0 == i0 ? Math.min(j, i1) : i1;
                int trow = (j - j0) * TILE;
                for (int i = i0; i < to; i++) {
                    int idx = (i - i0) * TILE + (j - j0);
                    sc.mk[trow + (i - i0)] = kt[idx];
                    sc.mt[trow + (i - i0)] = tt[idx];
                }
                if (to > i0) {
                    kb.put(j * n + i0, sc.mk, trow, to - i0);
                    tb.put(j * n + i0, sc.mt, trow, to - i0);
                }
            }
        }
    }

    /** One worker's buffers for {@link Recursion#segment}: a segment's k, k22, √det, θ and scratch. */
    static final class Scratch {
        final double[] k = new double[TILE];
        final double[] k22 = new double[TILE];
        final double[] s = new double[TILE];
        final double[] theta = new double[TILE];
        final double[] tmp = new double[TILE];
        final double[] t = new double[TILE];
        final double[] box = new double[1];
        /** A tile's transpose, for the mirrored writes. */
        final double[] mk = new double[TILE * TILE];
        final double[] mt = new double[TILE * TILE];
    }

    /**
     * The per-entry recursion over all layers: K ← E[φφ] then K ← σ_w²K + σ_b², Θ ← K + σ_w²·E[φ'φ']·Θ, in
     * exactly the operations and order of {@link #row} and {@link #symmetricRow} layer after layer.
     */
    static final class Recursion {
        private final DualKernel[] duals;
        private final boolean[] inline;
        private final double[] slope;
        private final double[] half;
        private final double[][] v1;
        private final double[][] v2;
        private final double sw2;
        private final double sb2;

        Recursion(DualKernel[] duals, double[][] v1, double[][] v2, double sw2, double sb2) {
            this.duals = duals;
            this.v1 = v1;
            this.v2 = v2;
            this.sw2 = sw2;
            this.sb2 = sb2;
            int l = duals.length;
            inline = new boolean[l];
            slope = new double[l];
            half = new double[l];
            for (int i = 0; i < l; i++) {
                if (duals[i] instanceof DualKernels.ABRelu r) {
                    inline[i] = true;
                    slope[i] = r.slope();
                    half[i] = r.half();
                }
            }
        }

        /**
         * Entries (i, j0), …, (i, j0 + w − 1) through all layers, in place: on entry {@code kt[off + q]} =
         * {@code tt[off + q]} = K¹_{i, j0+q}, on return K and Θ after the last layer. Layer by layer over the
         * segment, so that the w independent recursions (each a latency-bound chain of sqrt, two divisions and
         * a polynomial per layer) overlap in the processor instead of running one after the other.
         */
        void segment(int i, int j0, int w, double[] kt, double[] tt, int off, Scratch sc) {
            for (int l = 0; l < duals.length; l++) {
                double k11 = v1[l][i];
                double[] d2 = v2[l];
                DualKernel dual = duals[l];
                if (inline[l] && k11 > 0) {
                    // the closed form in stages (DualKernels.angles: s = √det and θ over the segment, vectorized);
                    // an entry with k22 ≤ 0 takes the general path below with its s and θ ignored
                    double sl = slope[l];
                    double hf = half[l];
                    boolean general = false;
                    System.arraycopy(kt, off, sc.k, 0, w);
                    System.arraycopy(d2, j0, sc.k22, 0, w);
                    for (int q = 0; q < w; q++) {
                        general |= !(sc.k22[q] > 0);
                    }
                    if (general) { // keep the stages' arguments in their domain; these entries are redone below
                        for (int q = 0; q < w; q++) {
                            sc.k22[q] = sc.k22[q] > 0 ? sc.k22[q] : 1.0;
                        }
                    }
                    DualKernels.angles(k11, sc.k22, sc.k, w, sc.s, sc.theta, sc.tmp);
                    // the maps and the Dense step, over the scratch arrays (indexed by q alone, so vectorized)
                    System.arraycopy(tt, off, sc.t, 0, w);
                    for (int q = 0; q < w; q++) {
                        double factor = hf - sl * sc.theta[q];
                        double kn = sw2 * (sl * sc.s[q] + factor * sc.k[q]) + sb2;
                        sc.t[q] = kn + sw2 * factor * sc.t[q];
                        sc.theta[q] = kn;
                    }
                    if (general) {
                        for (int q = 0; q < w; q++) {
                            if (!(d2[j0 + q] > 0)) {
                                double nngp = dual.nngpAndFactor(k11, d2[j0 + q], sc.k[q], sc.box);
                                double kn = sw2 * nngp + sb2;
                                sc.theta[q] = kn;
                                sc.t[q] = kn + sw2 * sc.box[0] * tt[off + q];
                            }
                        }
                    }
                    System.arraycopy(sc.theta, 0, kt, off, w);
                    System.arraycopy(sc.t, 0, tt, off, w);
                } else {
                    for (int q = 0; q < w; q++) {
                        double k = kt[off + q];
                        double nngp = dual.nngpAndFactor(k11, d2[j0 + q], k, sc.box);
                        double factor = sc.box[0];
                        double kn = sw2 * nngp + sb2;
                        kt[off + q] = kn;
                        tt[off + q] = kn + sw2 * factor * tt[off + q];
                    }
                }
            }
        }

        /**
         * A diagonal entry: the variance map E[φ(u)²] and the factor at k12 = k11, as {@link #symmetricRow},
         * so that K_ii stays bit-identical to the tracked variance.
         */
        double diagonalEntry(int i, double k, double[] theta) {
            double t = k;
            for (int l = 0; l < duals.length; l++) {
                double kii = v1[l][i];
                k = sw2 * duals[l].diagonal(kii) + sb2;
                t = k + sw2 * duals[l].ntkFactor(kii, kii, kii) * t;
            }
            theta[0] = t;
            return k;
        }
    }

    /** Copies the upper triangles of nngp and ntk into the lower ones, in cache-sized blocks. */
    static void mirror(Kernel k) {
        int n = k.rows();
        DoubleBuffer kb = k.nngp().buffer();
        DoubleBuffer tb = k.ntk().buffer();
        final int bs = 64;
        for (int ib = 0; ib < n; ib += bs) {
            for (int jb = 0; jb <= ib; jb += bs) {
                int iEnd = Math.min(n, ib + bs);
                int jEnd = Math.min(n, jb + bs);
                for (int i = ib; i < iEnd; i++) {
                    for (int j = jb; j < Math.min(jEnd, i); j++) {
                        // (i, j) with j < i is below the diagonal; its mirror (j, i) is in the upper triangle
                        kb.put(i * n + j, kb.get(j * n + i));
                        tb.put(i * n + j, tb.get(j * n + i));
                    }
                }
            }
        }
    }
}
