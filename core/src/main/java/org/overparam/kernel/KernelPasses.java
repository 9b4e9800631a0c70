package org.overparam.kernel;

import java.nio.DoubleBuffer;
import org.overparam.linalg.Parallel;
import org.overparam.nn.DualKernel;

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
