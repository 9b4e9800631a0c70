package org.overparam.linalg;

import org.bytedeco.openblas.global.openblas;

/**
 * Level-1 operations on matrices seen as flat vectors (parameters, gradients, directions), by OpenBLAS.
 * Sizes above 2^31−1 are processed in chunks because CBLAS takes {@code int} lengths.
 */
public final class Vectors {
    private static final int CHUNK = 1 << 30;

    private Vectors() {
    }

    private static void sameSize(Matrix x, Matrix y) {
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("size mismatch " + x.size() + " vs " + y.size());
        }
    }

    private static org.bytedeco.javacpp.DoublePointer at(Matrix m, long offset) {
        return offset == 0 ? m.pointer()
                : new org.bytedeco.javacpp.DoublePointer(m.pointer()).position(m.pointer().position() + offset);
    }

    /** ⟨x, y⟩. */
    public static double dot(Matrix x, Matrix y) {
        sameSize(x, y);
        Blas.load();
        double s = 0;
        for (long off = 0, n = x.size(); off < n; off += CHUNK) {
            int len = (int) Math.min(CHUNK, n - off);
            s += openblas.cblas_ddot(len, at(x, off), 1, at(y, off), 1);
        }
        return s;
    }

    /** ‖x‖₂ (scaled to avoid overflow, as BLAS dnrm2). */
    public static double norm2(Matrix x) {
        Blas.load();
        if (x.size() <= CHUNK) {
            return x.size() == 0 ? 0 : openblas.cblas_dnrm2((int) x.size(), x.pointer(), 1);
        }
        return Math.sqrt(dot(x, x));
    }

    /** y ← y + alpha·x. */
    public static void axpy(double alpha, Matrix x, Matrix y) {
        sameSize(x, y);
        Blas.load();
        for (long off = 0, n = x.size(); off < n; off += CHUNK) {
            int len = (int) Math.min(CHUNK, n - off);
            openblas.cblas_daxpy(len, alpha, at(x, off), 1, at(y, off), 1);
        }
    }

    /** x ← alpha·x. */
    public static void scale(double alpha, Matrix x) {
        Blas.load();
        for (long off = 0, n = x.size(); off < n; off += CHUNK) {
            int len = (int) Math.min(CHUNK, n - off);
            openblas.cblas_dscal(len, alpha, at(x, off), 1);
        }
    }

    /** ‖x − y‖₂ without allocating. */
    public static double distance(Matrix x, Matrix y) {
        sameSize(x, y);
        var a = x.buffer();
        var b = y.buffer();
        int n = (int) x.size();
        // four independent partial sums: a single running sum is bound by the latency of one add per element
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            double d0 = a.get(k) - b.get(k);
            double d1 = a.get(k + 1) - b.get(k + 1);
            double d2 = a.get(k + 2) - b.get(k + 2);
            double d3 = a.get(k + 3) - b.get(k + 3);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; k < n; k++) {
            double d = a.get(k) - b.get(k);
            s0 += d * d;
        }
        return Math.sqrt((s0 + s1) + (s2 + s3));
    }

    /** True when every entry is finite. */
    public static boolean allFinite(Matrix x) {
        for (long k = 0, n = x.size(); k < n; k++) {
            if (!Double.isFinite(x.at(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies the upper triangle into the lower one (after SYRK/LAPACK wrote only one triangle), in 64×64
     * tiles so that the transposed writes stay in cache.
     */
    public static void symmetrizeFromUpper(Matrix c) {
        int n = c.rows();
        var b = c.buffer();
        final int tile = 64;
        int tiles = (n + tile - 1) / tile;
        Parallel.forRange(tiles, 1, (fromTile, toTile) -> {
            for (int ti = fromTile; ti < toTile; ti++) {
                int i0 = ti * tile;
                int i1 = Math.min(n, i0 + tile);
                for (int j0 = i0; j0 < n; j0 += tile) {
                    int j1 = Math.min(n, j0 + tile);
                    for (int i = i0; i < i1; i++) {
                        for (int j = Math.max(j0, i + 1); j < j1; j++) {
                            b.put(j * n + i, b.get(i * n + j));
                        }
                    }
                }
            }
        });
    }
}
