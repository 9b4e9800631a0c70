package org.overparam.kernel;

import java.util.function.BiFunction;
import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Cholesky;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;

/**
 * Kernel regression past the n × n kernel, in the style of Falkon (Rudi, Carratino &amp; Rosasco 2017): the
 * Nyström-restricted ridge problem with M centres c_j, f(x) = Σ_j α_j k(x, c_j), α solving
 * H·α = K_nMᵀ·y with H = K_nMᵀ·K_nM + ridge·K_MM (with M = n centres this is exactly (K + ridge·I)⁻¹y), by conjugate
 * gradients preconditioned with Falkon's factorization: with K_MM = L·Lᵀ and B·Bᵀ = (n/M)·Lᵀ·L + ridge·I, H ≈ (L·B)(L·B)ᵀ
 * (the centres stand for the data: K_nMᵀK_nM ≈ (n/M)·K_MM²), so CG runs on (LB)⁻¹·H·(LB)⁻ᵀ, whose spectrum is close to 1.
 *
 * <p>Memory O(n·M): K_nM is computed once, block by block of rows, from the analytic kernel and kept, in this process
 * ({@link LocalCentresKernel}) or spread over a cluster (module spark); each iteration is two matrix-vector products
 * with it (2·n·M flops, memory-bound) plus O(M²) triangular solves here. The n × n kernel is never formed.
 */
public final class NystromKrr implements AutoCloseable {
    private final CentresKernel knm;
    private final Matrix kmm;
    private final Cholesky l;
    private final Cholesky b;
    private final double ridge;
    private final int n;
    public final double kernelSeconds;

    /** What a solve did: iterations, the final relative residual of the preconditioned system, seconds per iteration. */
    public record Solve(Matrix alpha, int iterations, double relativeResidual, double secondsPerIteration) {
    }

    /** The solver with K_nM held in this process. */
    public NystromKrr(BiFunction<Matrix, Matrix, Matrix> kernel, Matrix x, Matrix centres, double ridge) {
        this(kernel, x, centres, ridge, LocalCentresKernel::new);
    }

    /**
     * @param kernel  k(A, B) as a matrix (rows of A × rows of B): an analytic NTK or NNGP
     * @param x       the n training inputs
     * @param centres the M centres (e.g. M training points drawn at random)
     * @param ridge   the ridge, > 0 (in the kernel's units, as {@link GdPrediction}'s)
     * @param where   where K_nM is computed and held
     */
    public NystromKrr(BiFunction<Matrix, Matrix, Matrix> kernel, Matrix x, Matrix centres, double ridge,
            CentresKernel.Factory where) {
        if (!(ridge > 0) || !Double.isFinite(ridge)) {
            throw new InputError("the Nystrom solver needs --ridge > 0 (the centres' kernel alone may be singular)");
        }
        this.n = x.rows();
        int m = centres.rows();
        this.ridge = ridge;
        long t0 = System.nanoTime();
        this.kmm = kernel.apply(centres, centres);
        double kmmSeconds = (System.nanoTime() - t0) * 1e-9;
        this.knm = where.create(kernel, x, centres);
        this.kernelSeconds = knm.kernelSeconds() + kmmSeconds;
        // K_MM = L Lᵀ, with a jitter growing from 1e-12 of its mean diagonal until the factorization succeeds
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += kmm.get(i, i) / m;
        }
        this.l = jittered(kmm, mean);
        // B Bᵀ = (n/M) Lᵀ L + ridge I
        try (Matrix ltl = Blas.multiply(l.lower(), true, l.lower(), false)) {
            Vectors.scale((double) n / m, ltl);
            for (int i = 0; i < m; i++) {
                ltl.set(i, i, ltl.get(i, i) + ridge);
            }
            this.b = Lapack.cholesky(ltl);
        }
    }

    private static Cholesky jittered(Matrix a, double mean) {
        for (double j = 1e-12; j < 1; j *= 100) {
            try (Matrix c = a.copy()) {
                for (int i = 0; i < a.rows(); i++) {
                    c.set(i, i, c.get(i, i) + j * Math.max(mean, Double.MIN_NORMAL));
                }
                Cholesky f = Lapack.cholesky(c);
                if (f != null) {
                    return f;
                }
            }
        }
        throw new InputError("the centres' kernel K_MM is not positive definite even with a jitter; choose other centres");
    }

    /** w ← H·u = K_nMᵀ(K_nM·u) + ridge·K_MM·u for one column u (M × 1). */
    void applyH(Matrix u, Matrix w) {
        try (Matrix g = knm.gramTimes(u)) {
            w.copyFrom(g);
        }
        Blas.gemv(false, ridge, kmm, u, 1.0, w);
    }

    /** The time of the two products with K_nM one iteration needs (median of 3): the bound an iteration is held to. */
    public double matvecSeconds() {
        return knm.matvecSeconds();
    }

    /** The preconditioned operator on β: (LB)⁻¹·H·(LB)⁻ᵀ·β. */
    private void operator(Matrix beta, Matrix out, Matrix u) {
        u.copyFrom(beta);
        b.triangularSolve(true, u);
        l.triangularSolve(true, u);
        applyH(u, out);
        l.triangularSolve(false, out);
        b.triangularSolve(false, out);
    }

    /** α for the targets y (n × k), each column by preconditioned CG to a relative residual below {@code tol}. */
    public Solve solve(Matrix y, double tol, int maxIterations) {
        int m = kmm.rows();
        int k = y.cols();
        Matrix alpha = Matrix.zeros(m, k);
        int iterations = 0;
        double worst = 0;
        long t0 = System.nanoTime();
        try (Matrix rhsAll = knm.transposeTimes(y); Matrix rhs = Matrix.zeros(m, 1); Matrix beta = Matrix.zeros(m, 1);
                Matrix r = Matrix.zeros(m, 1); Matrix p = Matrix.zeros(m, 1); Matrix ap = Matrix.zeros(m, 1);
                Matrix u = Matrix.zeros(m, 1)) {
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < m; i++) {
                    rhs.setAt(i, rhsAll.get(i, c)); // K_nMᵀ y, column c
                }
                l.triangularSolve(false, rhs);
                b.triangularSolve(false, rhs);
                double bn = Vectors.norm2(rhs);
                beta.fill(0.0);
                r.copyFrom(rhs);
                p.copyFrom(rhs);
                double rr = Vectors.dot(r, r);
                int it = 0;
                while (Math.sqrt(rr) > tol * bn && it < maxIterations) {
                    operator(p, ap, u);
                    double step = rr / Vectors.dot(p, ap);
                    Vectors.axpy(step, p, beta);
                    Vectors.axpy(-step, ap, r);
                    double next = Vectors.dot(r, r);
                    Vectors.scale(next / rr, p);
                    Vectors.axpy(1.0, r, p);
                    rr = next;
                    it++;
                }
                iterations += it;
                worst = Math.max(worst, bn == 0 ? 0 : Math.sqrt(rr) / bn);
                // α = L⁻ᵀ B⁻ᵀ β
                u.copyFrom(beta);
                b.triangularSolve(true, u);
                l.triangularSolve(true, u);
                for (int i = 0; i < m; i++) {
                    alpha.set(i, c, u.at(i));
                }
            }
        }
        double per = iterations == 0 ? 0 : (System.nanoTime() - t0) * 1e-9 / iterations;
        return new Solve(alpha, iterations, worst, per);
    }

    /** Outputs K(x, centres)·α at new points, block by block. */
    public static Matrix predict(BiFunction<Matrix, Matrix, Matrix> kernel, Matrix x, Matrix centres, Matrix alpha) {
        Matrix out = Matrix.zeros(x.rows(), alpha.cols());
        for (int i0 = 0; i0 < x.rows(); i0 += CentresKernel.BLOCK) {
            int i1 = Math.min(x.rows(), i0 + CentresKernel.BLOCK);
            try (Matrix k = kernel.apply(x.rowBlock(i0, i1), centres)) {
                Blas.gemm(false, false, 1.0, k, alpha, 0.0, out.rowBlock(i0, i1));
            }
        }
        return out;
    }

    /** Training outputs K_nM·α (from the stored block). */
    public Matrix trainOutputs(Matrix alpha) {
        return knm.times(alpha);
    }

    @Override
    public void close() {
        knm.close();
        kmm.close();
        l.lower().close();
        b.lower().close();
    }
}
