package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            assertTrue(r.get("avg_grad_sq_mean_over_seeds") <= r.get("bound"), r.describe());
            assertTrue(r.get("min_k_mean_grad_sq") <= r.get("avg_grad_sq_mean_over_seeds"), r.describe());
            assertTrue(r.get("sigma2_hat") > 0 && r.get("avg_grad_sq_sd_over_seeds") > 0, "b < n: SGD is noisy");
            assertEquals(r.get("bound"), r.get("bound_optimization_term") + r.get("bound_noise_term"), 1e-12);
            assertEquals(4.0, r.get("S_seeds"));
            assertTrue(r.hypothesis().text().contains("f* = 0 (assumed"), r.hypothesis().text());
        }
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
            assertTrue(r.why().contains("exceeds 1/beta_hat"), r.why());
        }
    }
}
