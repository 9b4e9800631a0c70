package org.overparam.linalg;

import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Factorizations by OpenBLAS's LAPACK(E): symmetric eigendecomposition, SVD, QR least squares and
 * Cholesky. Inputs are never modified (LAPACK works on a copy). Failures of the routine (info ≠ 0) are
 * reported as {@link ArithmeticException} naming the routine and info.
 */
public final class Lapack {
    private Lapack() {
    }

    private static void check(String routine, int info) {
        if (info != 0) {
            throw new ArithmeticException(routine + " failed, info = " + info
                    + (info < 0 ? " (illegal argument)" : " (did not converge / not positive definite)"));
        }
    }

    private static void square(Matrix a, String what) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException(what + " needs a square matrix, got " + a.shape());
        }
    }

    /** All eigenvalues of a symmetric matrix, ascending (LAPACK dsyevd, values only). */
    public static double[] symmetricEigenvalues(Matrix a) {
        square(a, "symmetricEigenvalues");
        Blas.load();
        int n = a.rows();
        if (n == 0) {
            return new double[0];
        }
        try (Matrix w = a.copy(); DoublePointer vals = new DoublePointer(n)) {
            check("dsyevd", openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', n, w.pointer(), n, vals));
            double[] out = new double[n];
            vals.get(out);
            return out;
        }
    }

    /** Eigenvalues (ascending) and orthonormal eigenvectors (columns of {@code vectors}) of a symmetric matrix. */
    public static SymmetricEigen symmetricEigen(Matrix a) {
        square(a, "symmetricEigen");
        Blas.load();
        int n = a.rows();
        Matrix v = a.copy();
        try (DoublePointer vals = new DoublePointer(Math.max(n, 1))) {
            if (n > 0) {
                check("dsyevd", openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, v.pointer(), n, vals));
            }
            double[] out = new double[n];
            vals.get(out, 0, n);
            return new SymmetricEigen(out, v);
        }
    }

    /**
     * Eigenvalues with indices {@code [from, to)} in ascending order (0 = smallest) of a symmetric matrix,
     * by LAPACK dsyevr (MRRR), which computes only the requested ones.
     */
    public static double[] symmetricEigenvalueRange(Matrix a, int from, int to) {
        square(a, "symmetricEigenvalueRange");
        int n = a.rows();
        if (from < 0 || to > n || from >= to) {
            throw new IllegalArgumentException("eigenvalue index range [" + from + "," + to + ") of n = " + n);
        }
        Blas.load();
        try (Matrix w = a.copy(); DoublePointer vals = new DoublePointer(n); IntPointer found = new IntPointer(1);
                DoublePointer z = new DoublePointer(1); IntPointer isuppz = new IntPointer(2L * n)) {
            check("dsyevr", openblas.LAPACKE_dsyevr(LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'I', (byte) 'U', n,
                    w.pointer(), n, 0.0, 0.0, from + 1, to, 0.0, found, vals, z, 1, isuppz));
            double[] out = new double[found.get()];
            vals.get(out);
            return out;
        }
    }

    /** The k smallest eigenvalues of a symmetric matrix, ascending. */
    public static double[] smallestEigenvalues(Matrix a, int k) {
        return symmetricEigenvalueRange(a, 0, Math.min(k, a.rows()));
    }

    /** The k largest eigenvalues of a symmetric matrix, ascending. */
    public static double[] largestEigenvalues(Matrix a, int k) {
        int n = a.rows();
        return symmetricEigenvalueRange(a, Math.max(0, n - k), n);
    }

    /** Singular values, descending (LAPACK dgesdd, values only). */
    public static double[] singularValues(Matrix a) {
        Blas.load();
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        if (k == 0) {
            return new double[0];
        }
        try (Matrix w = a.copy(); DoublePointer s = new DoublePointer(k); DoublePointer u = new DoublePointer(1);
                DoublePointer vt = new DoublePointer(1)) {
            check("dgesdd", openblas.LAPACKE_dgesdd(LAPACK_ROW_MAJOR, (byte) 'N', m, n, w.pointer(), n, s, u, 1, vt, 1));
            double[] out = new double[k];
            s.get(out);
            return out;
        }
    }

    /** The thin SVD A = U·diag(s)·Vᵀ (LAPACK dgesdd): U is m×k, Vᵀ is k×n, k = min(m, n). */
    public static Svd svd(Matrix a) {
        Blas.load();
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        Matrix u = Matrix.zeros(m, k);
        Matrix vt = Matrix.zeros(k, n);
        double[] out = new double[k];
        if (k > 0) {
            try (Matrix w = a.copy(); DoublePointer s = new DoublePointer(k)) {
                check("dgesdd", openblas.LAPACKE_dgesdd(LAPACK_ROW_MAJOR, (byte) 'S', m, n, w.pointer(), n, s,
                        u.pointer(), k, vt.pointer(), n));
                s.get(out);
            }
        }
        return new Svd(u, out, vt);
    }

    /**
     * The least-squares solution X of min ‖A·X − B‖_F for A of full column rank (m ≥ n) by QR (LAPACK
     * dgels); for m &lt; n the minimum-norm solution of the underdetermined system (LQ).
     */
    public static Matrix leastSquares(Matrix a, Matrix b) {
        Blas.load();
        int m = a.rows();
        int n = a.cols();
        if (b.rows() != m) {
            throw new IllegalArgumentException("leastSquares: A is " + a.shape() + " but B is " + b.shape());
        }
        int nrhs = b.cols();
        int ldb = Math.max(m, n);
        try (Matrix w = a.copy(); Matrix x = Matrix.zeros(ldb, nrhs)) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < nrhs; j++) {
                    x.set(i, j, b.get(i, j));
                }
            }
            check("dgels", openblas.LAPACKE_dgels(LAPACK_ROW_MAJOR, (byte) 'N', m, n, nrhs, w.pointer(), n,
                    x.pointer(), nrhs));
            return x.rowBlock(0, n).copy();
        }
    }

    /**
     * Whether a symmetric matrix is numerically positive definite, i.e. LAPACK's Cholesky (dpotrf) succeeds;
     * n³/3 flops on a scratch copy, nothing kept.
     */
    public static boolean isPositiveDefinite(Matrix a) {
        square(a, "isPositiveDefinite");
        Blas.load();
        int n = a.rows();
        if (n == 0) {
            return true;
        }
        try (Matrix l = a.copy()) {
            // A symmetric matrix is its own transpose: hand it to LAPACK as column-major, which spares LAPACKE
            // the two full transposes its row-major interface makes around dpotrf.
            int info = openblas.LAPACKE_dpotrf(org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR, (byte) 'L', n,
                    l.pointer(), n);
            check("dpotrf", Math.min(info, 0));
            return info == 0;
        }
    }

    /** The Cholesky factor of a symmetric positive-definite matrix, or null when it is not positive definite. */
    public static Cholesky cholesky(Matrix a) {
        return choleskyInPlace(a.copy());
    }

    /**
     * As {@link #cholesky}, overwriting {@code l} (which the factor then owns): one n × n matrix less at the largest n.
     * When A is not positive definite, {@code l} is closed and null returned.
     */
    public static Cholesky choleskyInPlace(Matrix l) {
        square(l, "cholesky");
        Blas.load();
        int n = l.rows();
        // A symmetric matrix read column-major is itself: LAPACK's upper factor U (A = UᵀU) of that reading is, read
        // back row-major, the lower L = Uᵀ. So no transposed copies of an n × n matrix (LAPACKE's row-major
        // interface would make two, and allocate a third n × n).
        int info = n == 0 ? 0 : openblas.LAPACKE_dpotrf(org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR,
                (byte) 'U', n, l.pointer(), n);
        if (info > 0) {
            l.close();
            return null;
        }
        check("dpotrf", info);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l.set(i, j, 0.0);
            }
        }
        return new Cholesky(l);
    }

    /**
     * LAPACK's estimate (dpocon) of the reciprocal condition number 1/(‖A‖₁·‖A⁻¹‖₁) of the symmetric positive-definite
     * A = L·Lᵀ, from its factor and ‖A‖₁ (the largest absolute column sum of A, computed before factorizing): O(n²).
     */
    public static double choleskyReciprocalCondition(Cholesky c, double norm1) {
        int n = c.lower().rows();
        if (n == 0) {
            return 1.0;
        }
        Blas.load();
        try (org.bytedeco.javacpp.DoublePointer rcond = new org.bytedeco.javacpp.DoublePointer(1)) {
            // the row-major lower factor read column-major is the upper one (see choleskyInPlace): no transposed copy
            check("dpocon", openblas.LAPACKE_dpocon(org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR, (byte) 'U',
                    n, c.lower().pointer(), n, norm1, rcond));
            return rcond.get();
        }
    }

    /** ‖A‖₁: the largest absolute column sum. */
    public static double norm1(Matrix a) {
        double[] col = new double[a.cols()];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                col[j] += Math.abs(a.get(i, j));
            }
        }
        double max = 0;
        for (double v : col) {
            max = Math.max(max, v);
        }
        return max;
    }
}
