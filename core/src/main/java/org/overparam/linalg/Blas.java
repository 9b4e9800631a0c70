package org.overparam.linalg;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;

import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.presets.openblas_nolapack;

/**
 * The BLAS level-2/3 operations of the engine, named after the math and run by OpenBLAS on off-heap
 * matrices (row-major CBLAS). Every product, rank-k update and factorization in overparam goes through
 * here or {@link Lapack}; there are no hand-written triple loops on the hot path.
 *
 * <p>Thread count: OpenBLAS reads OPENBLAS_NUM_THREADS at load time, and a stray value halves the speed,
 * so the count is set in code by {@link #setThreads(int)} (the CLI's {@code --threads}).
 */
public final class Blas {
    private static volatile boolean loaded;

    private Blas() {
    }

    /** Loads the native library once (JavaCPP extracts it from the jar to its cache). */
    public static void load() {
        if (!loaded) {
            synchronized (Blas.class) {
                if (!loaded) {
                    org.bytedeco.javacpp.Loader.load(openblas.class);
                    // Set in code, whatever OPENBLAS_NUM_THREADS says: all cores until setThreads changes it.
                    openblas_nolapack.blas_set_num_threads(Runtime.getRuntime().availableProcessors());
                    loaded = true;
                }
            }
        }
    }

    /** Sets the number of OpenBLAS threads (≥ 1). */
    public static void setThreads(int threads) {
        load();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        openblas_nolapack.blas_set_num_threads(threads);
    }

    public static int threads() {
        load();
        return openblas_nolapack.blas_get_num_threads();
    }

    /** "OpenBLAS 0.3.31-1.5.13 (bytedeco preset), 2 thread(s)", for --version and provenance. */
    public static String describe() {
        return "OpenBLAS " + version() + " (bytedeco JavaCPP preset, linux-x86_64), " + threads() + " thread(s)";
    }

    /** The preset's version, read from its jar's Maven metadata. */
    public static String version() {
        try (var in = openblas.class.getResourceAsStream("/META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            var props = new java.util.Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * C ← alpha·op(A)·op(B) + beta·C, with op(X) = X or Xᵀ. Shapes are checked.
     */
    public static void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        load();
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm shape mismatch: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + c.shape());
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Vectors.scale(beta, c);
            return;
        }
        openblas.cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a.pointer(), Math.max(1, a.cols()), b.pointer(), Math.max(1, b.cols()), beta,
                c.pointer(), Math.max(1, c.cols()));
    }

    /** A new matrix op(A)·op(B). */
    public static Matrix multiply(Matrix a, boolean transA, Matrix b, boolean transB) {
        Matrix c = Matrix.zeros(transA ? a.cols() : a.rows(), transB ? b.rows() : b.cols());
        gemm(transA, transB, 1.0, a, b, 0.0, c);
        return c;
    }

    /** A new matrix A·B. */
    public static Matrix multiply(Matrix a, Matrix b) {
        return multiply(a, false, b, false);
    }

    /** y ← alpha·op(A)·x + beta·y, with x and y stored as matrices of one column or one row. */
    public static void gemv(boolean transA, double alpha, Matrix a, Matrix x, double beta, Matrix y) {
        load();
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        if (x.size() != k || y.size() != m) {
            throw new IllegalArgumentException("gemv shape mismatch: op(A) " + m + "x" + k + ", x " + x.size()
                    + ", y " + y.size());
        }
        if (m == 0) {
            return;
        }
        openblas.cblas_dgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, a.rows(), a.cols(), alpha,
                a.pointer(), Math.max(1, a.cols()), x.pointer(), 1, beta, y.pointer(), 1);
    }

    /**
     * Symmetric rank-k update C ← alpha·A·Aᵀ + beta·C (or AᵀA when {@code trans}); both triangles of C
     * are filled on return, so C can be used as a full matrix.
     */
    public static void syrk(boolean trans, double alpha, Matrix a, double beta, Matrix c) {
        syrkUpper(trans, alpha, a, beta, c);
        Vectors.symmetrizeFromUpper(c);
    }

    /**
     * As {@link #syrk} but only the upper triangle of C (j ≥ i) is written; the strictly lower triangle is
     * left as it was. For callers that mirror once at the end (the Gram builders).
     */
    public static void syrkUpper(boolean trans, double alpha, Matrix a, double beta, Matrix c) {
        load();
        int n = trans ? a.cols() : a.rows();
        int k = trans ? a.rows() : a.cols();
        if (c.rows() != n || c.cols() != n) {
            throw new IllegalArgumentException("syrk shape mismatch: C " + c.shape() + ", need " + n + "x" + n);
        }
        if (n == 0) {
            return;
        }
        openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, trans ? CblasTrans : CblasNoTrans, n, k, alpha,
                a.pointer(), Math.max(1, a.cols()), beta, c.pointer(), n);
    }

    /** The Gram matrix A·Aᵀ (rows' inner products) by SYRK. */
    public static Matrix gramRows(Matrix a) {
        Matrix c = Matrix.zeros(a.rows(), a.rows());
        syrk(false, 1.0, a, 0.0, c);
        return c;
    }
}
