package org.overparam.kernel;

import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Cholesky;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.SymmetricEigen;

/**
 * Closed-form outputs of gradient descent on our mse L = (1/(2n))·Σ_i ‖f(x_i) − y_i‖² for a model that is linear in
 * its parameters with tangent kernel Θ: the linearization of a finite network (Θ its empirical NTK) or an infinitely
 * wide one (Θ the analytic NTK; with the NNGP instead, only the readout trained). Discrete GD with step η gives, on the
 * training set, f_k − y = (I − ηΘ/n)^k (f_0 − y), and on test points
 * f_k(x) = f_0(x) + Θ(x, X)·Θ⁻¹·(I − (I − ηΘ/n)^k)(y − f_0(X)); gradient flow for time t replaces (I − ηΘ/n)^k by
 * e^{−ηtΘ/n}; k = ∞ is kernel regression Θ(x, X)(Θ + ridge·I)⁻¹(y − f_0(X)) (Lee et al. 2019, eqs. 8–11).
 *
 * <p>One eigendecomposition Θ + ridge·I = VΛVᵀ serves every step: the step's matrix function acts on the eigenvalues,
 * g(λ) = (1 − (1 − ηλ/n)^k)/λ (discrete), (1 − e^{−ηλt/n})/λ (flow), 1/λ (k = ∞), each evaluated stably at small λ
 * (its limit ηk/n or ηt/n at λ = 0; for k = ∞ an eigenvalue below the rank tolerance n·ε·λ_max is dropped, the
 * pseudo-inverse, and counted). Eigenvalues below 0 (round-off of a PSD kernel) are set to 0 and counted, never NaN.
 *
 * <p>Neural-tangents' {@code gradient_descent_mse} flows on 0.5·Σ(f − y)²/(n·k) (its {@code y_train.size}): its
 * learning rate η_nt is our η·k, its time t the same.
 *
 * <p>For an infinite ensemble (Lee et al. 2019, eqs. 15–16) the mean starts from f_0 = 0 and the test covariance is
 * K(x, x') + A·K_XX·Aᵀ − A·K(X, x') − K(x, X)·Aᵀ with A = Θ(x, X)·V g(Λ) Vᵀ and K the NNGP (for {@code nngp}, Θ = K).
 */
public final class GdPrediction implements AutoCloseable {
    /** A point of the trajectory: {@code steps} GD steps, or flow time {@code time}, or infinity. */
    public record When(double steps, double time) {
        public static When step(double k) {
            return new When(k, Double.NaN);
        }

        public static When time(double t) {
            return new When(Double.NaN, t);
        }

        public boolean infinite() {
            return steps == Double.POSITIVE_INFINITY || time == Double.POSITIVE_INFINITY;
        }
    }

    /** The eigendecomposition's vectors and values, or null when {@link #cholesky} serves. */
    private final Matrix vectors;
    private final double[] lambda;
    /** Θ + ridge·I = L·Lᵀ when only k = ∞ is asked for and Θ + ridge·I is well conditioned; else null. */
    private final Cholesky cholesky;
    private final int n;
    private final double eta;
    private final double rankTol;
    /** Eigenvalues below 0 set to 0, and (for k = ∞) those below the tolerance dropped. */
    public final int negativeEigenvalues;
    public final int droppedEigenvalues;
    /** Θ + ridge·I's extreme eigenvalues; NaN when the Cholesky factorization served (no eigenvalues computed). */
    public final double lambdaMin;
    public final double lambdaMax;
    /** LAPACK's estimate of Θ + ridge·I's reciprocal condition number when the Cholesky factorization served, else NaN. */
    public final double reciprocalCondition;

    /**
     * @param theta the training kernel (m × m, m = n for a kernel shared by the outputs or n·k for a finite net's full
     *              Gram); not modified
     * @param n     the number of training points (our mse's normalization)
     * @param eta   GD's step η
     * @param ridge added to Θ's diagonal (absolute, in the kernel's units)
     */
    public GdPrediction(Matrix theta, int n, double eta, double ridge) {
        this(theta, n, eta, ridge, false);
    }

    /**
     * @param onlyInfinity every point to be asked for is k = ∞ or t = ∞ (kernel regression): then a Cholesky
     *                     factorization (n³/3 flops, a ninth of the eigendecomposition's) serves when Θ + ridge·I is so
     *                     well conditioned that no eigenvalue can fall below the rank tolerance (LAPACK's reciprocal
     *                     condition estimate above 10·m·ε), which gives the eigendecomposition's answer; otherwise the
     *                     eigendecomposition serves as for any step
     */
    public GdPrediction(Matrix theta, int n, double eta, double ridge, boolean onlyInfinity) {
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new InputError("--lr must be a positive number, got " + eta);
        }
        if (!(ridge >= 0) || !Double.isFinite(ridge)) {
            throw new InputError("--ridge must be a finite number >= 0, got " + ridge);
        }
        int m = theta.rows();
        this.n = n;
        this.eta = eta;
        Matrix a = withRidge(theta, ridge);
        if (onlyInfinity) {
            double norm1 = Lapack.norm1(a);
            Cholesky c = Lapack.choleskyInPlace(a); // at the largest n, one n × n matrix less than a copy
            double rcond = c == null ? 0 : Lapack.choleskyReciprocalCondition(c, norm1);
            if (rcond > 10 * m * Math.ulp(1.0)) {
                this.cholesky = c;
                this.reciprocalCondition = rcond;
                this.vectors = null;
                this.lambda = null;
                this.rankTol = 0;
                this.lambdaMin = Double.NaN;
                this.lambdaMax = Double.NaN;
                this.negativeEigenvalues = 0;
                this.droppedEigenvalues = 0;
                return;
            }
            if (c != null) {
                c.lower().close();
            }
            a = withRidge(theta, ridge);
        }
        this.cholesky = null;
        this.reciprocalCondition = Double.NaN;
        SymmetricEigen e = Lapack.symmetricEigen(a);
        a.close();
        this.vectors = e.vectors();
        this.lambda = e.values().clone();
        double max = 0;
        for (double v : lambda) {
            max = Math.max(max, Math.abs(v));
        }
        this.lambdaMax = max;
        this.rankTol = m * Math.ulp(1.0) * max;
        int neg = 0;
        int dropped = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < lambda.length; i++) {
            min = Math.min(min, lambda[i]);
            if (lambda[i] < 0) {
                lambda[i] = 0;
                neg++;
            }
            if (lambda[i] <= rankTol) {
                dropped++;
            }
        }
        this.lambdaMin = min;
        this.negativeEigenvalues = neg;
        this.droppedEigenvalues = dropped;
    }

    private static Matrix withRidge(Matrix theta, double ridge) {
        Matrix a = theta.copy();
        for (int i = 0; i < a.rows(); i++) {
            a.set(i, i, a.get(i, i) + ridge);
        }
        return a;
    }

    /** The decay factor of the training residual along eigenvalue λ: (1 − ηλ/n)^k or e^{−ηλt/n}; 0 at ∞ when λ > 0. */
    double decay(double l, When w) {
        if (w.infinite()) {
            return l > rankTol ? 0.0 : 1.0;
        }
        if (!Double.isNaN(w.steps())) {
            return Math.pow(1 - eta * l / n, w.steps());
        }
        return Math.exp(-eta * l * w.time() / n);
    }

    /** g(λ) = (1 − decay)/λ, with its limit at λ → 0 (ηk/n or ηt/n; 0 for a dropped eigenvalue at ∞). */
    double gain(double l, When w) {
        if (w.infinite()) {
            return l > rankTol ? 1.0 / l : 0.0;
        }
        if (!Double.isNaN(w.steps())) {
            double c = eta * l / n;
            if (Math.abs(c) < 1e-8) {
                // (1 − (1 − c)^k)/λ = (η/n)·(k − k(k−1)c/2 + …): the series where the difference cancels
                return eta / n * w.steps() * (1 - (w.steps() - 1) * c / 2);
            }
            // (1 − c)^k through log1p where 1 − c > 0 (no cancellation near c = 0); a step past 2n/λ oscillates
            return c < 1 ? -Math.expm1(w.steps() * Math.log1p(-c)) / l : (1 - Math.pow(1 - c, w.steps())) / l;
        }
        double c = eta * w.time() / n;
        return l * c < 1e-12 ? c : -Math.expm1(-c * l) / l;
    }

    /** Which function of the eigenvalues a product applies. */
    private enum Fn {
        DECAY, GAIN
    }

    /** V·diag(f(λ))·Vᵀ·r for the columns of r (m × c), f = decay or gain at w. */
    private Matrix apply(Fn f, Matrix r, When w) {
        if (cholesky != null) {
            // only ∞ is asked for, and every eigenvalue is above the tolerance: decay 0, gain 1/λ = (Θ + ridge·I)⁻¹
            if (!w.infinite()) {
                throw new IllegalStateException("a GdPrediction made for k = infinity only was asked for " + w);
            }
            return f == Fn.DECAY ? Matrix.zeros(r.rows(), r.cols()) : cholesky.solve(r);
        }
        Matrix vr = Blas.multiply(vectors, true, r, false);
        for (int i = 0; i < vr.rows(); i++) {
            double s = f == Fn.DECAY ? decay(lambda[i], w) : gain(lambda[i], w);
            for (int j = 0; j < vr.cols(); j++) {
                vr.set(i, j, vr.get(i, j) * s);
            }
        }
        Matrix out = Blas.multiply(vectors, false, vr, false);
        vr.close();
        return out;
    }

    /** Training outputs at w: y + V·decay(Λ)·Vᵀ(f_0 − y) (m × c). */
    public Matrix train(Matrix f0, Matrix y, When w) {
        Matrix r = f0.copy();
        org.overparam.linalg.Vectors.axpy(-1.0, y, r);
        Matrix out = apply(Fn.DECAY, r, w);
        r.close();
        org.overparam.linalg.Vectors.axpy(1.0, y, out);
        return out;
    }

    /** Test outputs at w: f_0(x) + Θ(x, X)·V·g(Λ)·Vᵀ(y − f_0(X)); {@code thetaTestTrain} is t × m, ft0 t × c. */
    public Matrix test(Matrix thetaTestTrain, Matrix ft0, Matrix f0, Matrix y, When w) {
        Matrix r = y.copy();
        org.overparam.linalg.Vectors.axpy(-1.0, f0, r);
        Matrix gr = apply(Fn.GAIN, r, w);
        r.close();
        Matrix out = ft0.copy();
        Blas.gemm(false, false, 1.0, thetaTestTrain, gr, 1.0, out);
        gr.close();
        return out;
    }

    /**
     * The test covariance of the infinite ensemble at w: K_tt + A·K_XX·Aᵀ − A·K_Xt − K_tX·Aᵀ, A = Θ_tX·V g(Λ) Vᵀ
     * (Lee et al. 2019, eq. 16); kTestTest t × t, kTestTrain t × n, kTrainTrain n × n (the NNGP).
     */
    public Matrix covariance(Matrix thetaTestTrain, Matrix kTestTest, Matrix kTestTrain, Matrix kTrainTrain, When w) {
        // A = Θ_tX·M with M = V g Vᵀ symmetric, so Aᵀ = M·Θ_Xt: computed as M applied to the columns of Θ_Xt
        Matrix thetaXt = thetaTestTrain.transpose();
        Matrix at = apply(Fn.GAIN, thetaXt, w); // n × t = Aᵀ
        thetaXt.close();
        Matrix kat = Blas.multiply(kTrainTrain, false, at, false); // K_XX Aᵀ
        Matrix cov = kTestTest.copy();
        Blas.gemm(true, false, 1.0, at, kat, 1.0, cov); // + A K_XX Aᵀ
        Blas.gemm(false, false, -1.0, kTestTrain, at, 1.0, cov); // − K_tX Aᵀ
        Blas.gemm(true, true, -1.0, at, kTestTrain, 1.0, cov); // − A K_Xt
        kat.close();
        at.close();
        // symmetric up to round-off: average with the transpose
        for (int i = 0; i < cov.rows(); i++) {
            for (int j = i + 1; j < cov.cols(); j++) {
                double s = 0.5 * (cov.get(i, j) + cov.get(j, i));
                cov.set(i, j, s);
                cov.set(j, i, s);
            }
        }
        return cov;
    }

    @Override
    public void close() {
        if (vectors != null) {
            vectors.close();
        }
        if (cholesky != null) {
            cholesky.lower().close();
        }
    }
}
