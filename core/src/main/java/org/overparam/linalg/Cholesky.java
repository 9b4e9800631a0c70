package org.overparam.linalg;

import org.bytedeco.openblas.global.openblas;

/** A Cholesky factorization A = L·Lᵀ (L lower triangular), used to solve A·X = B. */
public record Cholesky(Matrix lower) {

    /** B ← L⁻¹·B ({@code transpose} false) or L⁻ᵀ·B (true), in place: one half of a solve (BLAS dtrsm). */
    public void triangularSolve(boolean transpose, Matrix b) {
        int n = lower.rows();
        if (b.rows() != n) {
            throw new IllegalArgumentException("triangularSolve: L is " + lower.shape() + " but B is " + b.shape());
        }
        if (n == 0 || b.cols() == 0) {
            return;
        }
        Blas.load();
        openblas.cblas_dtrsm(openblas.CblasRowMajor, openblas.CblasLeft, openblas.CblasLower,
                transpose ? openblas.CblasTrans : openblas.CblasNoTrans, openblas.CblasNonUnit, n, b.cols(), 1.0,
                lower.pointer(), n, b.pointer(), b.cols());
    }

    /** X with A·X = B: two triangular solves (BLAS dtrsm, row-major without the copies LAPACKE's dpotrs makes). */
    public Matrix solve(Matrix b) {
        int n = lower.rows();
        if (b.rows() != n) {
            throw new IllegalArgumentException("Cholesky.solve: A is " + lower.shape() + " but B is " + b.shape());
        }
        Matrix x = b.copy();
        triangularSolve(false, x);
        triangularSolve(true, x);
        return x;
    }
}
