package org.overparam.linalg;

/**
 * Extreme eigenvalues of a symmetric operator by the Lanczos iteration with full reorthogonalization
 * (Golub &amp; Van Loan, Matrix Computations, 4th ed., §10.1–10.3): after m steps the Ritz values of the
 * tridiagonal T_m approximate the extreme eigenvalues; each returned pair carries its residual
 * ‖A·v − θ·v‖, computed with one more application of the operator, so accuracy is shown, not assumed.
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

    /**
     * The {@code count} largest eigenvalues (descending) of the n×n symmetric operator, iterating until
     * every residual is below {@code tol}·|θ_max| or {@code maxIter} steps.
     */
    public static Ritz[] largest(Operator a, int n, int count, double tol, int maxIter, long seed) {
        int m = Math.min(n, Math.max(maxIter, count + 1));
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
        Ritz[] best = null;
        int steps = 0;
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
            if (steps >= count && (steps % 5 == 0 || breakdown || steps == m)) {
                best = ritz(a, q, alpha, beta, steps, n, count);
                double scale = Math.abs(best[0].value());
                boolean converged = true;
                for (Ritz r : best) {
                    converged &= r.residual() <= tol * Math.max(scale, Double.MIN_NORMAL);
                }
                if (converged || breakdown) {
                    break;
                }
            }
        }
        if (best == null) {
            best = ritz(a, q, alpha, beta, steps, n, Math.min(count, steps));
        }
        q.close();
        v.close();
        w.close();
        coeff.close();
        return best;
    }

    private static Ritz[] ritz(Operator a, Matrix q, double[] alpha, double[] beta, int steps, int n, int count) {
        Matrix t = Matrix.zeros(steps, steps);
        for (int i = 0; i < steps; i++) {
            t.set(i, i, alpha[i]);
            if (i + 1 < steps) {
                t.set(i, i + 1, beta[i + 1]);
                t.set(i + 1, i, beta[i + 1]);
            }
        }
        SymmetricEigen e = Lapack.symmetricEigen(t);
        int c = Math.min(count, steps);
        Ritz[] out = new Ritz[c];
        Matrix y = Matrix.zeros(steps, 1);
        Matrix v = Matrix.zeros(n, 1);
        Matrix av = Matrix.zeros(n, 1);
        for (int r = 0; r < c; r++) {
            int idx = steps - 1 - r;
            for (int i = 0; i < steps; i++) {
                y.setAt(i, e.vectors().get(i, idx));
            }
            Blas.gemv(true, 1.0, q.rowBlock(0, steps), y, 0.0, v); // v = Qᵀ y
            Vectors.scale(1.0 / v.frobenius(), v);
            double[] vec = v.toArray();
            a.apply(v, av);
            Vectors.axpy(-e.values()[idx], v, av);
            out[r] = new Ritz(e.values()[idx], av.frobenius(), vec);
        }
        t.close();
        e.vectors().close();
        y.close();
        v.close();
        av.close();
        return out;
    }
}
