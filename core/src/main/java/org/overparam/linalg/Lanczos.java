package org.overparam.linalg;

/**
 * Extreme eigenvalues of a symmetric operator by the Lanczos iteration with full reorthogonalization
 * (Golub &amp; Van Loan, Matrix Computations, 4th ed., §10.1–10.3): after m steps the Ritz values of the
 * tridiagonal T_m approximate the extreme eigenvalues. Convergence is checked after every step without touching
 * the operator: the residual of the Ritz pair (θ_i, Q_m y_i) is ‖A·Q_m y_i − θ_i·Q_m y_i‖ = |β_{m+1}·y_i[m]|, the
 * last entry of the tridiagonal's eigenvector times the next off-diagonal (G&amp;VL (10.1.9); exact in exact
 * arithmetic, and with full reorthogonalization accurate to about ε‖A‖). The returned pairs then carry their
 * residual ‖A·v − θ·v‖ computed with one more application of the operator each, so accuracy is shown, not assumed.
 *
 * <p>Two stopping rules ({@link Criterion}): a residual bound relative to |θ_max|, or a bound on the eigenvalue
 * error itself relative to |θ_i|, min(ρ_i, ρ_i²/gap_i) (Kato–Temple / G&amp;VL Theorem 8.1.13's quadratic bound,
 * with gap_i estimated from the neighbouring Ritz values less their residuals): the latter needs about half the
 * steps for the same eigenvalue accuracy.
 */
public final class Lanczos {
    private Lanczos() {
    }

    /** y ← A·x for vectors stored as n × 1 matrices. */
    @FunctionalInterface
    public interface Operator {
        void apply(Matrix x, Matrix y);
    }

    /** An eigenvalue estimate, its Ritz vector (‖v‖ = 1) and the residual norm ‖A·v − θ·v‖. */
    public record Ritz(double value, double residual, double[] vector) {
    }

    /** What "converged" means for the leading pairs. */
    public enum Criterion {
        /** residual ρ_i ≤ tol·|θ_max|. */
        RESIDUAL,
        /** eigenvalue error bound min(ρ_i, ρ_i²/gap_i) ≤ tol·|θ_i|. */
        VALUE
    }

    /** The result of a run: the Ritz pairs (descending), the steps taken and the error bounds at the end. */
    public record Result(Ritz[] ritz, int steps, boolean converged, double[] errorBounds, double[] gaps) {
    }

    /**
     * The {@code count} largest eigenvalues (descending) of the n×n symmetric operator, iterating until
     * every residual is below {@code tol}·|θ_max| or {@code maxIter} steps. Convergence is checked every step
     * up to 64 steps, then every m/32 steps.
     */
    public static Ritz[] largest(Operator a, int n, int count, double tol, int maxIter, long seed) {
        return run(a, n, count, count, Criterion.RESIDUAL, tol, maxIter, seed).ritz();
    }

    /**
     * The {@code count} largest Ritz pairs, iterating until the leading {@code converge} (≤ count) meet the
     * criterion with {@code tol}, the Krylov space is invariant, or {@code maxIter} steps.
     */
    public static Result run(Operator a, int n, int count, int converge, Criterion criterion, double tol, int maxIter,
            long seed) {
        int m = Math.min(n, Math.max(maxIter, count + 1));
        converge = Math.min(converge, count);
        Matrix q = Matrix.zeros(m + 1, n); // rows are the Lanczos vectors
        double[] alpha = new double[m];
        double[] beta = new double[m + 1];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        Matrix v = Matrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            v.setAt(i, rng.nextGaussian());
        }
        Vectors.scale(1.0 / v.frobenius(), v);
        q.rowBlock(0, 1).copyFrom(v);
        Matrix w = Matrix.zeros(n, 1);
        Matrix coeff = Matrix.zeros(m + 1, 1);
        int steps = 0;
        boolean converged = false;
        Tri tri = null;
        for (int j = 0; j < m; j++) {
            Matrix qj = q.rowBlock(j, j + 1).reshape(n, 1);
            a.apply(qj, w);
            alpha[j] = Vectors.dot(qj, w);
            // full reorthogonalization, twice ("twice is enough", Parlett): w ← w − Qᵀ(Q w)
            for (int pass = 0; pass < 2; pass++) {
                Matrix qs = q.rowBlock(0, j + 1);
                Matrix c = coeff.rowBlock(0, j + 1);
                Blas.gemv(false, 1.0, qs, w, 0.0, c);
                Blas.gemv(true, -1.0, qs, c, 1.0, w);
            }
            beta[j + 1] = w.frobenius();
            steps = j + 1;
            boolean breakdown = beta[j + 1] <= 1e-14 * Math.abs(alpha[j]) || beta[j + 1] == 0;
            if (!breakdown) {
                Matrix next = q.rowBlock(j + 1, j + 2).reshape(n, 1);
                next.copyFrom(w);
                Vectors.scale(1.0 / beta[j + 1], next);
            }
            // the tridiagonal's eigenproblem costs O(m³): every step up to 64, then every m/32 steps
            boolean check = steps >= count && (steps <= 64 || steps % Math.max(1, steps / 32) == 0);
            if (check || breakdown || steps == m) {
                tri = tridiagonal(alpha, beta, steps, breakdown ? 0.0 : beta[steps], Math.min(count, steps));
                converged = tri.converged(converge, criterion, tol);
                if (converged || breakdown) {
                    break;
                }
            }
        }
        if (tri == null) {
            tri = tridiagonal(alpha, beta, steps, beta[steps], Math.min(count, steps));
        }
        Ritz[] out = ritzPairs(a, q, tri, steps, n);
        q.close();
        v.close();
        w.close();
        coeff.close();
        return new Result(out, steps, converged, tri.bounds, tri.gaps);
    }

    /** The leading Ritz values of T_m, their residual estimates |β_{m+1}·y_i[m]| and eigenvectors. */
    private static final class Tri {
        final double[] values; // descending, the leading c
        final double[] residuals;
        final double[] bounds;
        final double[] gaps;
        final double[][] vectors; // y_i, length steps
        final double[] all; // every Ritz value, descending

        Tri(double[] values, double[] residuals, double[][] vectors, double[] all) {
            this.values = values;
            this.residuals = residuals;
            this.vectors = vectors;
            this.all = all;
            this.bounds = new double[values.length];
            this.gaps = new double[values.length];
        }

        boolean converged(int converge, Criterion criterion, double tol) {
            double scale = Math.max(Math.abs(values[0]), Double.MIN_NORMAL);
            boolean ok = true;
            for (int i = 0; i < values.length; i++) {
                double rho = residuals[i];
                // distance to the other Ritz values, each less its own residual (a neighbour may still move)
                double gap = Double.POSITIVE_INFINITY;
                for (int k = 0; k < all.length; k++) {
                    if (k != i) {
                        double rk = k < residuals.length ? residuals[k] : 0.0;
                        gap = Math.min(gap, Math.abs(values[i] - all[k]) - rk);
                    }
                }
                gaps[i] = gap;
                bounds[i] = gap > 0 ? Math.min(rho, rho * rho / gap) : rho;
                if (i < converge) {
                    ok &= criterion == Criterion.RESIDUAL ? rho <= tol * scale
                            : bounds[i] <= tol * Math.max(Math.abs(values[i]), Double.MIN_NORMAL);
                }
            }
            return ok;
        }
    }

    private static Tri tridiagonal(double[] alpha, double[] beta, int steps, double betaNext, int c) {
        // LAPACK dstevd on the tridiagonal itself (divide and conquer), no dense m×m reduction
        Blas.load();
        double[] d = java.util.Arrays.copyOf(alpha, steps);
        double[] e = new double[Math.max(1, steps - 1)];
        System.arraycopy(beta, 1, e, 0, steps - 1);
        double[] z = new double[steps * steps];
        int info = org.bytedeco.openblas.global.openblas.LAPACKE_dstevd(
                org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR, (byte) 'V', steps, d, e, z, steps);
        if (info != 0) {
            throw new ArithmeticException("dstevd failed, info = " + info);
        }
        double[] values = new double[c];
        double[] residuals = new double[c];
        double[][] vectors = new double[c][steps];
        double[] all = new double[steps];
        for (int k = 0; k < steps; k++) {
            all[k] = d[steps - 1 - k];
        }
        for (int r = 0; r < c; r++) {
            int idx = steps - 1 - r;
            values[r] = d[idx];
            for (int i = 0; i < steps; i++) {
                vectors[r][i] = z[i * steps + idx];
            }
            residuals[r] = Math.abs(betaNext * vectors[r][steps - 1]);
        }
        return new Tri(values, residuals, vectors, all);
    }

    private static Ritz[] ritzPairs(Operator a, Matrix q, Tri tri, int steps, int n) {
        int c = tri.values.length;
        Ritz[] out = new Ritz[c];
        Matrix y = Matrix.zeros(steps, 1);
        Matrix v = Matrix.zeros(n, 1);
        Matrix av = Matrix.zeros(n, 1);
        for (int r = 0; r < c; r++) {
            y.copyFrom(tri.vectors[r]);
            Blas.gemv(true, 1.0, q.rowBlock(0, steps), y, 0.0, v); // v = Qᵀ y
            Vectors.scale(1.0 / v.frobenius(), v);
            double[] vec = v.toArray();
            a.apply(v, av);
            Vectors.axpy(-tri.values[r], v, av);
            out[r] = new Ritz(tri.values[r], av.frobenius(), vec);
        }
        y.close();
        v.close();
        av.close();
        return out;
    }
}
