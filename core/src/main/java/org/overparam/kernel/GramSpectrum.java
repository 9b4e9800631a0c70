package org.overparam.kernel;

import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;

import java.util.Locale;
import org.bytedeco.openblas.global.openblas;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lanczos;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Rank;
import org.overparam.linalg.Vectors;

/**
 * Spectral figures of a symmetric positive semi-definite Gram G (an NTK): λmin, λmax, the condition number
 * and the rank, each stating how it was obtained.
 * <ul>
 * <li>n ≤ {@link #ALL_EIGENVALUES_UP_TO}: all eigenvalues by LAPACK dsyevd (backward stable: each has
 * absolute error ≲ n·ε·‖G‖₂).</li>
 * <li>Larger n: the largest few by Lanczos on G; λmin by Lanczos on G⁻¹ (shift-invert at 0) through a
 * Cholesky factorization when G is positive definite; when Cholesky fails, G is numerically singular or
 * indefinite and λmin is estimated by Lanczos on −G. Each value carries its residual ‖Gv − λv‖, and λmin also
 * its error bound min(‖r‖, ‖r‖²/gap) ({@link #lambdaMinErrorBound}, gap to the next eigenvalue as estimated by
 * the Ritz values). Shift-invert stops once λmin's relative error bound is below {@link #LAMBDA_MIN_TARGET}; the
 * three largest on G are converged to residual {@link #LAMBDA_MAX_TOL}·λmax (the other two reported as found),
 * convergence read every step from the tridiagonal (no extra operator applications).</li>
 * </ul>
 * The rank follows the project's rule ({@link Rank}) read from the Gram's eigenvalues — which squares the
 * condition number, and the result says so; without all eigenvalues it is n when λmin exceeds the
 * tolerance and otherwise reported as below n without a count.
 */
public record GramSpectrum(int n, double[] eigenvalues, double lambdaMin, double lambdaMinResidual, double lambdaMax,
        double lambdaMaxResidual, double[] largest, String method, Integer rank, double rankTolerance,
        String rankRule, String rankNote, double lambdaMinErrorBound) {

    public static final int ALL_EIGENVALUES_UP_TO = 5000;
    /** Relative accuracy at which shift-invert Lanczos stops for λmin (the promise is 1e-6; a factor 10 of margin). */
    static final double LAMBDA_MIN_TARGET = 1e-7;
    /** Residual tolerance, relative to λmax, of the three largest Ritz pairs on G. */
    static final double LAMBDA_MAX_TOL = 1e-8;

    public double conditionNumber() {
        return lambdaMin > 0 ? lambdaMax / lambdaMin : Double.POSITIVE_INFINITY;
    }

    /**
     * @param rows, cols the shape of the factor A with G = AAᵀ (or AᵀA) whose rank is meant (J: n·k × P)
     * @param rankTol    an explicit tolerance on singular values, or ≤ 0 for the default rule
     */
    public static GramSpectrum of(Matrix g, int rows, int cols, double rankTol, boolean allEigenvalues) {
        return of(g, rows, cols, rankTol, allEigenvalues ? Integer.MAX_VALUE : ALL_EIGENVALUES_UP_TO);
    }

    static GramSpectrum of(Matrix g, int rows, int cols, double rankTol, int allUpTo) {
        int n = g.rows();
        if (n == 0) {
            return new GramSpectrum(0, new double[0], Double.NaN, 0, Double.NaN, 0, new double[0], "empty", 0, 0,
                    Rank.DEFAULT_RULE, "", 0);
        }
        if (n <= allUpTo) {
            double[] ev = Lapack.symmetricEigenvalues(g);
            Rank.Result r = Rank.fromGramEigenvalues(ev, rows, cols, rankTol);
            double bound = n * Math.ulp(1.0) * Math.max(Math.abs(ev[0]), Math.abs(ev[n - 1]));
            int few = Math.min(5, n);
            double[] largest = new double[few];
            for (int i = 0; i < few; i++) {
                largest[i] = ev[n - 1 - i];
            }
            return new GramSpectrum(n, ev, ev[0], bound, ev[n - 1], bound, largest,
                    "all eigenvalues by LAPACK dsyevd (error bound n*eps*|lambda|max shown as residual)", r.rank(),
                    r.tolerance(), r.rule(), r.source().description(), bound);
        }
        Lanczos.Operator times = (x, y) -> Blas.gemv(false, 1.0, g, x, 0.0, y);
        // λmax: the five largest Ritz values, the leading three converged to residual 1e-8·λmax
        Lanczos.Result topRun = Lanczos.run(times, n, 5, 3, Lanczos.Criterion.RESIDUAL, LAMBDA_MAX_TOL, 300, 1);
        Lanczos.Ritz[] top = topRun.ritz();
        double lmax = top[0].value();
        double[] largest = new double[top.length];
        for (int i = 0; i < top.length; i++) {
            largest[i] = top[i].value();
        }
        double lmin;
        double lminRes;
        double lminBound;
        String how;
        Matrix lower = choleskyLower(g);
        if (lower != null) {
            // y = G⁻¹x = L⁻ᵀ(L⁻¹x) by two triangular solves on the factor in place (BLAS dtrsv: one read of L each)
            Lanczos.Operator inverse = (x, y) -> {
                y.copyFrom(x);
                openblas.cblas_dtrsv(CblasRowMajor, CblasLower, CblasNoTrans, CblasNonUnit, n, lower.pointer(), n,
                        y.pointer(), 1);
                openblas.cblas_dtrsv(CblasRowMajor, CblasLower, CblasTrans, CblasNonUnit, n, lower.pointer(), n,
                        y.pointer(), 1);
            };
            // stop when the eigenvalue error bound of G⁻¹'s largest, min(ρ, ρ²/gap), is below LAMBDA_MIN_TARGET of it:
            // |1/θ − λmin|/λmin = |μ − θ|/θ for μ = 1/λmin ≥ θ
            Lanczos.Result inv = Lanczos.run(inverse, n, 2, 1, Lanczos.Criterion.VALUE, LAMBDA_MIN_TARGET, 300, 2);
            Lanczos.Ritz r1 = inv.ritz()[0];
            // The Ritz vector's residual on G is (ρ/θ)·‖G·q_{m+1}‖: its small components along G's LARGE eigenvectors
            // are multiplied by up to λmax. Two steps of inverse iteration (two more solves) divide the component
            // along eigenvector k by (λ_k/λmin)², after which the residual on G, and the Rayleigh quotient, are
            // those of a λmin-sized problem.
            double[] rq = new double[2];
            try (Matrix x = Matrix.of(n, 1, r1.vector()); Matrix y = Matrix.zeros(n, 1)) {
                for (int it = 0; it < 2; it++) {
                    inverse.apply(x, y);
                    Vectors.scale(1.0 / y.frobenius(), y);
                    x.copyFrom(y);
                }
                rayleigh(g, x, y, rq);
            }
            lmin = rq[0];
            lminRes = rq[1];
            // the same bound on G: |λ − λmin| ≤ min(‖r‖, ‖r‖²/gap), gap = λ₂ − λ with λ₂ ≥ 1/(θ₂ + ρ₂) (Kato–Temple)
            double gap = inv.ritz().length > 1 ? 1.0 / (inv.ritz()[1].value() + inv.ritz()[1].residual()) - lmin : 0;
            lminBound = gap > 0 ? Math.min(lminRes, lminRes * lminRes / gap) : lminRes;
            how = "largest by Lanczos on G; lambda_min by shift-invert Lanczos on G^-1 through a Cholesky factorization ("
                    + inv.steps() + " steps to relative error bound " + LAMBDA_MIN_TARGET + ", then 2 inverse iterations;"
                    + " lambda_min is the Rayleigh quotient)";
            lower.close();
        } else {
            Lanczos.Operator negative = (x, y) -> Blas.gemv(false, -1.0, g, x, 0.0, y);
            Lanczos.Ritz neg = Lanczos.largest(negative, n, 1, 1e-10, 300, 3)[0];
            lmin = -neg.value();
            lminRes = neg.residual();
            lminBound = lminRes;
            how = "largest by Lanczos on G; G is not numerically positive definite (Cholesky failed), so lambda_min "
                    + "by Lanczos on -G";
        }
        double tol = rankTol > 0 ? rankTol * rankTol : n * Math.ulp(1.0) * lmax;
        Integer rank = lmin - lminRes > tol ? n : null;
        String note = rank != null
                ? "full rank n: lambda_min minus its residual exceeds the tolerance (" + Rank.Source.GRAM_EIGENVALUES.description() + ")"
                : "rank below n or undecided: lambda_min is within its residual of the tolerance or below; the exact count needs all eigenvalues (--all-eigenvalues)";
        return new GramSpectrum(n, null, lmin, lminRes, lmax, top[0].residual(), largest, how, rank, tol,
                rankTol > 0 ? "lambda_i > (--rank-tol)^2 on the Gram's eigenvalues" : Rank.GRAM_RULE, note, lminBound);
    }

    /**
     * The lower Cholesky factor L (G = L·Lᵀ, row-major, upper part left as G's) by LAPACK dpotrf on a copy, or null
     * when G is not numerically positive definite. A row-major symmetric matrix is the same array as its column-major
     * self, so dpotrf runs column-major on the upper triangle (= the row-major lower one) without the two n×n
     * transposes that LAPACKE's row-major interface makes.
     */
    private static Matrix choleskyLower(Matrix g) {
        int n = g.rows();
        Matrix l = g.copy();
        int info = openblas.LAPACKE_dpotrf(LAPACK_COL_MAJOR, (byte) 'U', n, l.pointer(), n);
        if (info != 0) {
            l.close();
            if (info < 0) {
                throw new ArithmeticException("dpotrf failed, info = " + info + " (illegal argument)");
            }
            return null;
        }
        return l;
    }

    /** out[0] = xᵀGx and out[1] = ‖Gx − out[0]·x‖ for a unit x; y is scratch. */
    private static void rayleigh(Matrix g, Matrix x, Matrix y, double[] out) {
        Blas.gemv(false, 1.0, g, x, 0.0, y);
        double q = Vectors.dot(x, y);
        Vectors.axpy(-q, x, y);
        out[0] = q;
        out[1] = y.frobenius();
    }

    public String describe() {
        return String.format(Locale.ROOT, "lambda_min %.6e (residual %.1e), lambda_max %.6e (residual %.1e), "
                + "condition number %.3e; %s", lambdaMin, lambdaMinResidual, lambdaMax, lambdaMaxResidual,
                conditionNumber(), method) + String.format(Locale.ROOT, "; lambda_min error bound %.1e (relative %.1e)",
                lambdaMinErrorBound, lambdaMinErrorBound / lambdaMin);
    }
}
