package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

class PlImpliesLinearRateTest {
    /**
     * Interpolating least squares, h = [X 1]θ with n = 4 &lt; d + 1 = 9: L* = 0, the PL constant (½‖∇L‖² ≥ μL) is
     * μ = λmin(AAᵀ)/n and β = λmax(AAᵀ)/n for A = [X 1] (exactly, by LAPACK).
     */
    @Test
    void holdsOnInterpolatingLeastSquaresWithTheExactConstants() {
        int n = 4;
        int d = 8;
        Matrix x = gaussian(n, d, 51);
        Matrix y = gaussian(n, 1, 52);
        try (Network net = Network.initialize(NetworkSpec.standard(d, new int[0], 1, Activations.LINEAR), 53)) {
            Matrix a = TheoryFixtures.withOnes(x);
            double[] ev = Lapack.symmetricEigenvalues(Blas.multiply(a, false, a, true));
            double mu = ev[0] / n;
            double beta = ev[n - 1] / n;
            CheckResult r = PlImpliesLinearRate.atInverseSmoothness(300).run(new Setup(net, x, y, Loss.MSE));
            System.out.println("exact mu = " + mu + ", beta = " + beta + "\n" + r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(beta, r.get("beta_hat"), 1e-9 * beta);
            assertTrue(r.get("mu_hat") >= mu * (1 - 1e-9), "a min of Rayleigh quotients cannot go below lambda_min");
            assertEquals(mu, r.get("mu_hat"), 1e-3 * mu, r.describe());
            assertEquals(1 - mu / beta, r.get("rate"), 1e-3);
            // GD on a linear model in closed form: r_t = (I − (η/n)AAᵀ)^t r_0, η = 1/β
            double[] closed;
            try (Matrix r0 = Independent.residual(net, x, y)) {
                closed = Independent.linearGdLosses(Independent.gramRows(a.toRows()), r0, 1 / beta, 300);
            }
            assertEquals(300, r.get("steps_run"));
            assertEquals(closed[0], r.get("loss_0"), 1e-12 * closed[0]);
            // after 300 steps L_T/L_0 ~ 1e-23 is rounding-sized; 40 steps (L_T/L_0 ~ 1e-3) pin the path itself
            CheckResult early = PlImpliesLinearRate.atInverseSmoothness(40).run(new Setup(net, x, y, Loss.MSE));
            assertEquals(closed[40], early.get("loss_T"), 1e-8 * closed[40], early.describe());
            assertEquals(closed[40], early.get("observed_gap_T"), 1e-8 * closed[40], early.describe());
            for (int k = 0; k <= 300; k++) { // the theorem on the exact constants, the closed-form path
                assertTrue(closed[k] <= Math.pow(1 - mu / beta, k) * closed[0] * (1 + 1e-9) + 1e-15 * closed[0], "k " + k);
            }
        }
    }

    /** Overdetermined least squares (n = 20 &gt; d + 1): L* &gt; 0 given, μ = λmin(AᵀA/n), β = λmax(AᵀA/n). */
    @Test
    void holdsOnOverdeterminedLeastSquaresWithGivenLStar() {
        int n = 20;
        int d = 3;
        Matrix x = gaussian(n, d, 61);
        Matrix y = gaussian(n, 1, 62);
        try (Network net = Network.initialize(NetworkSpec.standard(d, new int[0], 1, Activations.LINEAR), 63)) {
            Matrix a = TheoryFixtures.withOnes(x);
            double[] ev = Lapack.symmetricEigenvalues(Blas.multiply(a, true, a, false));
            double mu = ev[0] / n;
            double beta = ev[d] / n;
            Matrix res = Blas.multiply(a, Lapack.leastSquares(a, y));
            Vectors.axpy(-1.0, y, res);
            double lStar = 0.5 * Vectors.dot(res, res) / n;
            CheckResult r = new PlImpliesLinearRate(Double.NaN, 200, lStar, 3).run(new Setup(net, x, y, Loss.MSE));
            System.out.println("exact mu = " + mu + ", beta = " + beta + "\n" + r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(beta, r.get("beta_hat"), 1e-9 * beta);
            assertTrue(r.get("mu_hat") >= mu * (1 - 1e-6), "rounding floor keeps L - L* cancellation out: " + r.describe());
            assertEquals(mu, r.get("mu_hat"), 1e-3 * mu, r.describe());
        }
    }

    @Test
    void stepAboveOneOverBetaIsHypothesisNotMet() {
        int n = 4;
        int d = 8;
        Matrix x = gaussian(n, d, 51);
        Matrix y = gaussian(n, 1, 52);
        try (Network net = Network.initialize(NetworkSpec.standard(d, new int[0], 1, Activations.LINEAR), 53)) {
            double beta = Smoothness.largestEigenvalue(net, x, y, Loss.MSE).beta();
            CheckResult r = new PlImpliesLinearRate(3 / beta, 50, Double.NaN, 2).run(new Setup(net, x, y, Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertEquals(3.0, r.get("eta_times_beta_hat"), 1e-9);
            assertFalse(r.hypothesis().met(), r.describe());
            assertTrue(Double.isNaN(r.bound().value()), "no bound outside the hypothesis: " + r.describe());
        }
    }

    /** The rate logic on Karimi et al.'s 1-D PL (non-convex) function f(x) = x² + 3 sin² x, f* = 0, β = 8. */
    @Test
    void rateLogicOnKarimiNonconvexExample() {
        for (double x0 : new double[] {3.0, -7.5, 1.2}) {
            int steps = 60;
            double eta = 1.0 / 8;
            double[] gaps = new double[steps + 1];
            double mu = Double.POSITIVE_INFINITY;
            double x = x0;
            for (int k = 0; k <= steps; k++) {
                double f = x * x + 3 * Math.sin(x) * Math.sin(x);
                double g = 2 * x + 3 * Math.sin(2 * x);
                gaps[k] = f;
                if (f > 1e-12 * gaps[0]) {
                    mu = Math.min(mu, 0.5 * g * g / f);
                }
                x -= eta * g;
            }
            PlImpliesLinearRate.Rate r = PlImpliesLinearRate.rateCheck(gaps, eta, mu, 8, 0);
            assertEquals(-1, r.firstMiss(), "x0 = " + x0);
            assertTrue(mu > 0 && mu <= 8, "mu_hat " + mu);
        }
    }

    /**
     * The lecture's factor 2: on f = ½λx² with β = 1, η = 1, KNS's μ = λ and GD gives f_k = (1 − λ)^{2k} f_0 ≤
     * (1 − μ/β)^k f_0; the lecture's μ (PL without the ½) is 2λ and its rate 1 − 2λ/β is already missed at k = 1.
     */
    @Test
    void lectureRateWithoutTheHalfIsMissed() {
        double lambda = 0.3;
        double[] gaps = new double[20];
        double x = 1;
        for (int k = 0; k < gaps.length; k++) {
            gaps[k] = 0.5 * lambda * x * x;
            x -= lambda * x;
        }
        assertEquals(-1, PlImpliesLinearRate.rateCheck(gaps, 1, lambda, 1, 0).firstMiss());
        assertEquals(1, PlImpliesLinearRate.rateCheck(gaps, 1, 2 * lambda, 1, 0).firstMiss());
    }
}
