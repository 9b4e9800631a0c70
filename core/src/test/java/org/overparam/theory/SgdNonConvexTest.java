package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

class SgdNonConvexTest {
    private static final int N = 8;

    private static Network net() {
        return Network.initialize(NetworkSpec.ntk(3, new int[] {16}, 1, Activations.TANH, 1.0, 0.0, true), 501);
    }

    /** eta = 0.5/beta_hat(w_0), b = 2, S = 4 seeds: the averaged squared gradient sits below the bound. */
    @Test
    void smallStepMeetsTheBound() {
        Matrix x = gaussian(N, 3, 502);
        Matrix y = gaussian(N, 1, 503);
        try (Network net = net()) {
            Setup s = new Setup(net, x, y, Loss.MSE);
            double beta0 = Smoothness.largestEigenvalue(s).beta();
            CheckResult r = new SgdNonConvex(0.5 / beta0, 100, 2, 4, Double.NaN, 4, 7).run(s);
            System.out.println(r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertTrue(r.get("min_k_mean_grad_sq") <= r.get("avg_grad_sq_mean_over_seeds"), r.describe());
            assertTrue(r.get("avg_grad_sq_sd_over_seeds") > 0, "b < n: the seeds' SGD paths differ");
            // the bound's terms from numbers computed here: f0 from the outputs, sigma^2 at w_0 (a sampled iterate,
            // so sigma2_hat, a max over sampled iterates, is at least it) from central-difference per-sample gradients
            double f0 = Independent.mse(net.predict(x), y);
            assertEquals(2 * f0 / (0.5 / beta0 * 100), r.get("bound_optimization_term"), 1e-12 * f0 * beta0, r.describe());
            double[] w0 = perSampleMoments(net, x, y, 2);
            assertTrue(r.get("sigma2_hat") >= w0[1] * (1 - 1e-6), w0[1] + " at w_0 > " + r.describe());
            assertTrue(r.get("beta_hat") >= beta0, r.describe());
            assertTrue(r.get("bound") >= 2 * f0 / (0.5 / beta0 * 100) + beta0 * (0.5 / beta0) * w0[1] * (1 - 1e-6),
                    r.describe());
        }
    }

    /**
     * The minibatch statistics at w: ‖∇L‖², the variance E‖ĝ_b − ∇L‖² = (1/(nb))Σ_i‖∇ℓ_i − ∇L‖² of a batch of b
     * drawn with replacement, and L, recomputed from a central-difference Jacobian (∇ℓ_i = J_iᵀ(h_i − y_i) for
     * ℓ_i = ½‖h_i − y_i‖²) with plain loops.
     */
    @Test
    void minibatchVarianceMatchesPerSampleGradients() {
        Matrix x = gaussian(N, 3, 502);
        Matrix y = gaussian(N, 1, 503);
        try (Network net = net()) {
            SgdNonConvex.Moments mo = SgdNonConvex.moments(net, x, y, Loss.MSE, 3);
            double[] expected = perSampleMoments(net, x, y, 3);
            assertEquals(expected[0], mo.fullGradSq(), 1e-6 * expected[0]);
            assertEquals(expected[1], mo.variance(), 1e-6 * expected[1]);
            assertEquals(expected[2], mo.loss(), 1e-12 * expected[2]);
        }
    }

    /** {‖∇L‖², (1/(nb))Σ_i‖∇ℓ_i − ∇L‖², L} at the net's weights, from central differences (one output). */
    private static double[] perSampleMoments(Network net, Matrix x, Matrix y, int b) {
        int n = x.rows();
        double[][] jac = Independent.jacobian(net, x, 1e-6);
        int p = jac[0].length;
        double[][] gi = new double[n][p];
        double[] full = new double[p];
        double loss = 0;
        try (Matrix res = Independent.residual(net, x, y)) {
            for (int i = 0; i < n; i++) {
                double r = res.get(i, 0);
                loss += r * r / (2.0 * n);
                for (int q = 0; q < p; q++) {
                    gi[i][q] = jac[i][q] * r;
                    full[q] += gi[i][q] / n;
                }
            }
        }
        double g2 = 0;
        double spread = 0;
        for (int q = 0; q < p; q++) {
            g2 += full[q] * full[q];
            for (int i = 0; i < n; i++) {
                spread += (gi[i][q] - full[q]) * (gi[i][q] - full[q]);
            }
        }
        return new double[] {g2, spread / n / b, loss};
    }

    /** The constants of the bound: 2(f0 - f*)/(eta T) + beta eta sigma^2 and the second-moment form. */
    @Test
    void boundConstants() {
        assertEquals(2 * 3.0 / (0.1 * 50) + 4 * 0.1 * 2, SgdNonConvex.bound(3, 0, 0.1, 50, 4, 2), 1e-12);
        assertEquals(3.0 / (0.1 * 50) + 4 * 0.1 * 2 / 2, SgdNonConvex.boundedGradientBound(3, 0, 0.1, 50, 4, 2), 1e-12);
    }

    /** eta = 3/beta_hat(w_0) > 1/beta_hat: hypothesis not met. */
    @Test
    void largeStepIsHypothesisNotMet() {
        Matrix x = gaussian(N, 3, 502);
        Matrix y = gaussian(N, 1, 503);
        try (Network net = net()) {
            Setup s = new Setup(net, x, y, Loss.MSE);
            double beta0 = Smoothness.largestEigenvalue(s).beta();
            CheckResult r = new SgdNonConvex(3 / beta0, 20, 2, 2, Double.NaN, 2, 7).run(s);
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertFalse(r.hypothesis().met(), r.describe());
            assertTrue(r.get("eta_times_beta_hat") >= 3 * (1 - 1e-9), r.describe());
        }
    }
}
