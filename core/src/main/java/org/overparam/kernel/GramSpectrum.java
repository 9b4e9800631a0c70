package org.overparam.kernel;

import java.util.Locale;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Cholesky;
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
 * indefinite and λmin is estimated by Lanczos on −G. Each value carries its residual ‖Gv − λv‖.</li>
 * </ul>
 * The rank follows the project's rule ({@link Rank}) read from the Gram's eigenvalues — which squares the
 * condition number, and the result says so; without all eigenvalues it is n when λmin exceeds the
 * tolerance and otherwise reported as below n without a count.
 */
public record GramSpectrum(int n, double[] eigenvalues, double lambdaMin, double lambdaMinResidual, double lambdaMax,
        double lambdaMaxResidual, double[] largest, String method, Integer rank, double rankTolerance,
        String rankRule, String rankNote) {

    public static final int ALL_EIGENVALUES_UP_TO = 5000;

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
                    Rank.DEFAULT_RULE, "");
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
                    r.tolerance(), r.rule(), r.source().description());
        }
        Lanczos.Operator times = (x, y) -> Blas.gemv(false, 1.0, g, x, 0.0, y);
        Lanczos.Ritz[] top = Lanczos.largest(times, n, 5, 1e-10, 300, 1);
        double lmax = top[0].value();
        double[] largest = new double[top.length];
        for (int i = 0; i < top.length; i++) {
            largest[i] = top[i].value();
        }
        double lmin;
        double lminRes;
        String how;
        Cholesky c = Lapack.cholesky(g);
        if (c != null) {
            Lanczos.Operator inverse = (x, y) -> {
                try (Matrix s = c.solve(x)) {
                    y.copyFrom(s);
                }
            };
            Lanczos.Ritz inv = Lanczos.largest(inverse, n, 1, 1e-10, 300, 2)[0];
            lmin = 1.0 / inv.value();
            lminRes = residual(g, inv.vector(), lmin);
            how = "largest by Lanczos on G; lambda_min by shift-invert Lanczos on G^-1 through a Cholesky factorization";
            c.lower().close();
        } else {
            Lanczos.Operator negative = (x, y) -> Blas.gemv(false, -1.0, g, x, 0.0, y);
            Lanczos.Ritz neg = Lanczos.largest(negative, n, 1, 1e-10, 300, 3)[0];
            lmin = -neg.value();
            lminRes = neg.residual();
            how = "largest by Lanczos on G; G is not numerically positive definite (Cholesky failed), so lambda_min "
                    + "by Lanczos on -G";
        }
        double tol = rankTol > 0 ? rankTol * rankTol : n * Math.ulp(1.0) * lmax;
        Integer rank = lmin - lminRes > tol ? n : null;
        String note = rank != null
                ? "full rank n: lambda_min minus its residual exceeds the tolerance (" + Rank.Source.GRAM_EIGENVALUES.description() + ")"
                : "rank below n or undecided: lambda_min is within its residual of the tolerance or below; the exact count needs all eigenvalues (--all-eigenvalues)";
        return new GramSpectrum(n, null, lmin, lminRes, lmax, top[0].residual(), largest, how, rank, tol,
                rankTol > 0 ? "lambda_i > (--rank-tol)^2 on the Gram's eigenvalues" : Rank.GRAM_RULE, note);
    }

    private static double residual(Matrix g, double[] v, double lambda) {
        int n = g.rows();
        try (Matrix x = Matrix.of(n, 1, v); Matrix y = Matrix.zeros(n, 1)) {
            Vectors.scale(1.0 / x.frobenius(), x);
            Blas.gemv(false, 1.0, g, x, 0.0, y);
            Vectors.axpy(-lambda, x, y);
            return y.frobenius();
        }
    }

    public String describe() {
        return String.format(Locale.ROOT, "lambda_min %.6e (residual %.1e), lambda_max %.6e (residual %.1e), "
                + "condition number %.3e; %s", lambdaMin, lambdaMinResidual, lambdaMax, lambdaMaxResidual,
                conditionNumber(), method);
    }
}
