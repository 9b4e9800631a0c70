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

    /**
     * Rows of a strip of the all-layer pass. Its mirror is written as row segments of STRIP doubles below the
     * diagonal: the longer, the fewer scattered short writes (at n = 10,000 the pass took 0.95 s with 32, 0.73 s with
     * 128 and 0.67 s with 256, measured on two threads).
     */
    static final int STRIP = 256; // ≤ CHUNK: a strip's diagonal lies in its first chunk

    /**
     * Columns of a chunk: every stage of the recursion is a loop over one chunk, long enough that the JIT's vector
     * loop outweighs its scalar pre- and post-loops (the staged angle costs ~9 ns per entry over 32 entries and
     * ~5 ns over 256, measured); a strip's outputs (STRIP × CHUNK doubles, 512 KB each) stay in L2 or L3.
     */
    static final int CHUNK = 256;

    /**
     * All L (activation, Dense) layers in ONE pass, the result equal bit for bit to L calls of
     * {@link #applyUpper} with {@code dense} and a final {@link #mirror}. Entry (i, j) needs only its own
     * K_ij, Θ_ij and every layer's variances K_ii, K_jj, so the variances of all layers (and their roots and
     * reciprocals) are computed first (O(nL)) and the whole recursion then runs per entry: each matrix is read
     * once and written once instead of L times. The closed-form {@link DualKernels.ABRelu} maps (relu, leaky
     * relu) are evaluated with the staged {@link DualKernels#angles}; other maps through
     * {@link DualKernel#nngpAndFactor}.
     *
     * <p>On entry {@code k.nngp()} holds K¹ (for a symmetric kernel only its upper triangle is read) and
     * {@code k.diag1()}, {@code k.diag2()} its variances; {@code k.ntk()} is only written (Θ¹ = K¹ is implied).
     * On return nngp, ntk (both triangles) and the diagonals hold the kernel after the last Dense.
     */
    static void allLayers(Kernel k, DualKernel[] duals, double sw2, double sb2) {
        allLayers(k, 0.0, duals, sw2, sb2);
    }

    /**
     * As {@link #allLayers(Kernel, DualKernel[], double, double)} with {@code k.nngp()} holding K¹ − {@code inputBias}
     * (the product alone, the bias σ_b² of the first Dense added as each entry is read: no separate fill pass);
     * the diagonals hold K¹'s own.
     */
    static void allLayers(Kernel k, double inputBias, DualKernel[] duals, double sw2, double sb2) {
        fused(k.nngp(), inputBias, k.diag1(), k.diag2(), k.symmetric(), k.nngp(), k.ntk(), duals, sw2, sb2);
    }

    /**
     * As {@link #allLayers} for a symmetric kernel of which only one matrix is wanted, written in place: on entry
     * the upper triangle of {@code k} holds K¹ − {@code inputBias} and {@code diag} K¹'s diagonal; on return
     * {@code k} holds all of Θ (when {@code ntk}) or K after the last Dense, and {@code diag} the last variances.
     * No second n×n matrix is allocated (at n = 20,000 that is 3.2 GB, and every fresh page costs a first-touch
     * fault).
     */
    static void allLayersInPlace(Matrix k, double inputBias, double[] diag, boolean ntk, DualKernel[] duals,
            double sw2, double sb2) {
        fused(k, inputBias, diag, diag, true, ntk ? null : k, ntk ? k : null, duals, sw2, sb2);
    }

    /**
     * The pass: K¹ read from {@code src}, the final K written to {@code nngpOut} and Θ to {@code ntkOut} (either may
     * be null, or {@code src} itself). A symmetric kernel is walked in strips of STRIP rows of its upper triangle
     * (strips paired I with T−1−I, so that parallel chunks carry equal work), each strip in chunks of CHUNK
     * columns; a chunk's rows are written to their place and, transposed through a buffer in L2, to the mirror.
     * The upper triangle is the only source and every write of a strip lands either on that strip's own entries
     * after they are read or strictly below the diagonal, so writing over {@code src} is safe.
     */
    private static void fused(Matrix src, double inputBias, double[] d1, double[] d2, boolean symmetric,
            Matrix nngpOut, Matrix ntkOut, DualKernel[] duals, double sw2, double sb2) {
        int layers = duals.length;
        int n1 = src.rows();
        int n2 = src.cols();
        // per-layer variances: v1[l] are those entering hidden layer l; the given arrays end as layer L's
        double[][] v1 = new double[layers][];
        double[][] v2 = new double[layers][];
        for (int l = 0; l < layers; l++) {
            v1[l] = d1.clone();
            v2[l] = symmetric ? v1[l] : d2.clone();
            transformDiagonal(d1, duals[l], true, sw2, sb2);
            if (!symmetric) {
                transformDiagonal(d2, duals[l], true, sw2, sb2);
            }
        }
        Recursion rec = new Recursion(duals, v1, v2, sw2, sb2);
        DoubleBuffer sb = src.buffer();
        DoubleBuffer kb = nngpOut == null ? null : nngpOut.buffer();
        DoubleBuffer tb = ntkOut == null ? null : ntkOut.buffer();
        int strips = (n1 + STRIP - 1) / STRIP;
        if (symmetric) {
            int units = (strips + 1) / 2;
            Parallel.forRange(units * n1, Math.max(n1, 1), (from, to) -> {
                Scratch sc = new Scratch(layers, kb != null, tb != null);
                for (int u = from / n1; u < to / n1; u++) {
                    strip(sb, inputBias, kb, tb, n1, n2, true, u, rec, sc);
                    int v = strips - 1 - u;
                    if (v != u) {
                        strip(sb, inputBias, kb, tb, n1, n2, true, v, rec, sc);
                    }
                }
            });
        } else {
            // blocks (strip, chunk) in row-major order as the parallel units, so that a few rows against many
            // columns (test points against a training set) still split; 4096 stands for a block's weight, so that
            // Parallel's threshold lets 16 or more blocks run in parallel
            int chunks = (n2 + CHUNK - 1) / CHUNK;
            int weight = 4096;
            Parallel.forRange(strips * chunks * weight, weight, (from, to) -> {
                Scratch sc = new Scratch(layers, false, false);
                for (int u = from / weight; u < to / weight; u++) {
                    block(sb, inputBias, kb, tb, n1, n2, false, u / chunks, (u % chunks) * CHUNK, rec, sc);
                }
            });
        }
    }

    /**
     * Strip {@code bi}: rows i0 ≤ i &lt; i0 + STRIP, columns from i0 (symmetric: the diagonal entry and those right of
     * it; entries left of the diagonal in the first chunk are computed on K = 0 and dropped) or from 0.
     */
    private static void strip(DoubleBuffer sb, double inputBias, DoubleBuffer kb, DoubleBuffer tb, int n1, int n2,
            boolean symmetric, int bi, Recursion rec, Scratch sc) {
        for (int c0 = symmetric ? bi * STRIP : 0; c0 < n2; c0 += CHUNK) {
            block(sb, inputBias, kb, tb, n1, n2, symmetric, bi, c0, rec, sc);
        }
    }

    /** Strip {@code bi}'s chunk of columns c0 ≤ j &lt; c0 + CHUNK: its rows, then (symmetric) its mirror. */
    private static void block(DoubleBuffer sb, double inputBias, DoubleBuffer kb, DoubleBuffer tb, int n1, int n2,
            boolean symmetric, int bi, int c0, Recursion rec, Scratch sc) {
        int i0 = bi * STRIP;
        int i1 = Math.min(n1, i0 + STRIP);
        int w = Math.min(CHUNK, n2 - c0);
        rec.columns(c0, w, sc);
        for (int i = i0; i < i1; i++) {
            int r = i - i0;
            // symmetric: the first chunk starts at the diagonal (c0 = i0), whose entry is q = r
            int q0 = symmetric && c0 == i0 ? r : 0;
            int qs = symmetric && c0 == i0 ? r + 1 : 0;
            long base = (long) i * n2 + c0;
            java.util.Arrays.fill(sc.k, 0, qs, 0.0);
            sb.get((int) (base + qs), sc.k, qs, w - qs);
            if (inputBias != 0) {
                for (int q = 0; q < w; q++) {
                    sc.k[q] += inputBias;
                }
            }
            double kii = symmetric && c0 == i0 ? sb.get((int) base + r) + inputBias : 0.0;
            System.arraycopy(sc.k, 0, sc.t, 0, w);
            rec.segment(i, c0, w, sc);
            if (symmetric && c0 == i0) {
                sc.k[r] = rec.diagonalEntry(i, kii, sc.box);
                sc.t[r] = sc.box[0];
            }
            if (kb != null) {
                kb.put((int) base + q0, sc.k, q0, w - q0);
            }
            if (tb != null) {
                tb.put((int) base + q0, sc.t, q0, w - q0);
            }
            if (symmetric && kb != null) {
                System.arraycopy(sc.k, q0, sc.stripK, r * CHUNK + q0, w - q0);
            }
            if (symmetric && tb != null) {
                System.arraycopy(sc.t, q0, sc.stripT, r * CHUNK + q0, w - q0);
            }
        }
        if (symmetric) {
            mirrorChunk(kb, tb, n2, i0, i1, c0, w, sc);
        }
    }

    /** Entry (i, j) with i0 ≤ i &lt; min(i1, j) of a strip's chunk, written to (j, i) below the diagonal. */
    private static void mirrorChunk(DoubleBuffer kb, DoubleBuffer tb, int n, int i0, int i1, int c0, int w,
            Scratch sc) {
        for (int q = 0; q < w; q++) {
            int j = c0 + q;
            int count = Math.min(i1, j) - i0;
            if (count <= 0) {
                continue;
            }
            if (kb != null) {
                for (int r = 0; r < count; r++) {
                    sc.col[r] = sc.stripK[r * CHUNK + q];
                }
                kb.put(j * n + i0, sc.col, 0, count);
            }
            if (tb != null) {
                for (int r = 0; r < count; r++) {
                    sc.col[r] = sc.stripT[r * CHUNK + q];
                }
                tb.put(j * n + i0, sc.col, 0, count);
            }
        }
    }

    /** One worker's buffers: a chunk row's K, Θ and stages, the chunk's column variances per layer, a strip. */
    static final class Scratch {
        final double[] k = new double[CHUNK];
        final double[] t = new double[CHUNK];
        final double[] s = new double[CHUNK];
        final double[] theta = new double[CHUNK];
        final double[] tmp = new double[CHUNK];
        final double[] fixK = new double[CHUNK];
        final double[] fixT = new double[CHUNK];
        final double[] box = new double[1];
        final double[] col = new double[STRIP];
        /** A symmetric strip's chunk of K and of Θ, for the mirror (null when that matrix is not written). */
        final double[] stripK;
        final double[] stripT;
        /** Per layer, the chunk's column variances, roots and reciprocals (1.0 where not staged). */
        final double[][] k22;
        final double[][] r2;
        final double[][] ik22;
        /** Per layer: some column variance of the chunk is not {@link DualKernels#staged}. */
        final boolean[] unstaged;

        Scratch(int layers, boolean mirrorK, boolean mirrorT) {
            stripK = mirrorK ? new double[STRIP * CHUNK] : null;
            stripT = mirrorT ? new double[STRIP * CHUNK] : null;
            k22 = new double[layers][CHUNK];
            r2 = new double[layers][CHUNK];
            ik22 = new double[layers][CHUNK];
            unstaged = new boolean[layers];
        }
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
        private final double[][] root1;
        private final double[][] inv1;
        private final double[][] root2;
        private final double[][] inv2;
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
            root1 = new double[l][];
            inv1 = new double[l][];
            root2 = new double[l][];
            inv2 = new double[l][];
            for (int i = 0; i < l; i++) {
                if (duals[i] instanceof DualKernels.ABRelu r) {
                    inline[i] = true;
                    slope[i] = r.slope();
                    half[i] = r.half();
                    root1[i] = roots(v1[i]);
                    inv1[i] = reciprocals(v1[i]);
                    root2[i] = v2[i] == v1[i] ? root1[i] : roots(v2[i]);
                    inv2[i] = v2[i] == v1[i] ? inv1[i] : reciprocals(v2[i]);
                }
            }
        }

        private static double[] roots(double[] v) {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = Math.sqrt(v[i]);
            }
            return out;
        }

        private static double[] reciprocals(double[] v) {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = 1.0 / v[i];
            }
            return out;
        }

        /** The column arrays of chunk [c0, c0 + w) for every staged layer (copied, so the stages index from 0). */
        void columns(int c0, int w, Scratch sc) {
            for (int l = 0; l < duals.length; l++) {
                if (!inline[l]) {
                    continue;
                }
                System.arraycopy(v2[l], c0, sc.k22[l], 0, w);
                System.arraycopy(root2[l], c0, sc.r2[l], 0, w);
                System.arraycopy(inv2[l], c0, sc.ik22[l], 0, w);
                boolean unstaged = false;
                for (int q = 0; q < w; q++) {
                    if (!DualKernels.staged(sc.k22[l][q])) {
                        unstaged = true; // kept in the stages' domain; the entry is redone by the general path
                        sc.k22[l][q] = 1.0;
                        sc.r2[l][q] = 1.0;
                        sc.ik22[l][q] = 1.0;
                    }
                }
                sc.unstaged[l] = unstaged;
            }
        }

        /**
         * Row i over the chunk [c0, c0 + w) whose {@link #columns} are in {@code sc}, through all layers, in place:
         * on entry {@code sc.k[q]} = {@code sc.t[q]} = K¹_{i, c0+q}, on return K and Θ after the last layer.
         * Layer by layer over the chunk, so that the w independent recursions (each a latency-bound chain of roots,
         * divisions and a polynomial per layer) run as vector instructions and overlap in the processor.
         */
        void segment(int i, int c0, int w, Scratch sc) {
            double[] k = sc.k;
            double[] t = sc.t;
            for (int l = 0; l < duals.length; l++) {
                double k11 = v1[l][i];
                double[] d2 = v2[l];
                DualKernel dual = duals[l];
                if (inline[l] && DualKernels.staged(k11)) {
                    double sl = slope[l];
                    double hf = half[l];
                    DualKernels.angles(k11, root1[l][i], inv1[l][i], sc.k22[l], sc.r2[l], sc.ik22[l], k, w, sc.s,
                            sc.theta, sc.tmp);
                    if (sc.unstaged[l]) { // the general path for the entries whose column variance is not staged
                        for (int q = 0; q < w; q++) {
                            if (!DualKernels.staged(d2[c0 + q])) {
                                double kn = sw2 * dual.nngpAndFactor(k11, d2[c0 + q], k[q], sc.box) + sb2;
                                sc.fixK[q] = kn;
                                sc.fixT[q] = kn + sw2 * sc.box[0] * t[q];
                            }
                        }
                    }
                    // the maps and the Dense step (indexed by q alone, so vectorized)
                    for (int q = 0; q < w; q++) {
                        double factor = hf - sl * sc.theta[q];
                        double kn = sw2 * (sl * sc.s[q] + factor * k[q]) + sb2;
                        t[q] = kn + sw2 * factor * t[q];
                        k[q] = kn;
                    }
                    if (sc.unstaged[l]) {
                        for (int q = 0; q < w; q++) {
                            if (!DualKernels.staged(d2[c0 + q])) {
                                k[q] = sc.fixK[q];
                                t[q] = sc.fixT[q];
                            }
                        }
                    }
                } else {
                    for (int q = 0; q < w; q++) {
                        double nngp = dual.nngpAndFactor(k11, d2[c0 + q], k[q], sc.box);
                        double kn = sw2 * nngp + sb2;
                        t[q] = kn + sw2 * sc.box[0] * t[q];
                        k[q] = kn;
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
