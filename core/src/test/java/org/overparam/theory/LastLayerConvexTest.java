package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.TrainableLayers;
import org.overparam.train.Loss;

class LastLayerConvexTest {
    private static NetworkSpec lastOnly(int d, int width) {
        return NetworkSpec.du2019(d, width, Activations.RELU).withTrainable(TrainableLayers.LAST);
    }

    /** k = 64 ≥ n = 20: rank Q = n, the least-squares optimum is 0 and GD on the last layer gets there at the predicted rate. */
    @Test
    void wideLastLayerInterpolatesAndGdReachesTheLeastSquaresOptimum() {
        Matrix x = TheoryFixtures.sphere(20, 5, 301);
        Matrix y = gaussian(20, 1, 302);
        try (Network net = Network.initialize(lastOnly(5, 64), 303)) {
            CheckResult r = new LastLayerConvex(0.5, 6000).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(20, r.get("rank_Q"));
            assertTrue(r.get("least_squares_loss") < 1e-20, r.describe());
            assertTrue(r.get("gap_T") <= r.get("gap_bound") + 1e-12 * r.get("loss_0"), r.describe());
            assertTrue(r.get("loss_T") < 1e-3 * r.get("loss_0"), r.describe());
            assertEquals(r.get("eta") / 20, r.get("eta_eff_sum_loss"), 1e-15);
        }
    }

    /** k = 8 < n = 20: hypothesis not met; L* > 0 and GD still converges to it (convexity), not to 0. */
    @Test
    void narrowLastLayerIsHypothesisNotMet() {
        Matrix x = TheoryFixtures.sphere(20, 5, 311);
        Matrix y = gaussian(20, 1, 312);
        try (Network net = Network.initialize(lastOnly(5, 8), 313)) {
            CheckResult r = new LastLayerConvex(0.5, 3000).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertTrue(r.get("rank_Q") <= 8, r.describe());
            assertTrue(r.get("least_squares_loss") > 0.05 * r.get("loss_0"), r.describe());
            assertTrue(r.get("gap_T") <= r.get("gap_bound") + 1e-12 * r.get("loss_0"), r.describe());
            assertTrue(r.get("gap_T") < 1e-3 * r.get("least_squares_loss"), r.describe());
        }
    }

    /**
     * QᵀQ/k → K^∞ at rate ~1/√k (du2019: w_r ~ N(0, I), raw inner products); widths 32, 128, 512, three seeds
     * each: the log-log slope is near −1/2.
     */
    @Test
    void empiricalKernelApproachesTheLimitLikeOneOverSqrtWidth() {
        Matrix x = TheoryFixtures.sphere(10, 5, 321);
        List<LastLayerConvex.KernelPoint> pts = LastLayerConvex.kernelConvergence(x, Activations.RELU,
                new int[] {32, 128, 512}, 3);
        System.out.println("||Q^T Q/k - K_inf||_F/||K_inf||_F: " + pts);
        assertTrue(pts.get(0).relativeDistance() > pts.get(1).relativeDistance()
                && pts.get(1).relativeDistance() > pts.get(2).relativeDistance(), pts.toString());
        double slope = Math.log(pts.get(2).relativeDistance() / pts.get(0).relativeDistance()) / Math.log(16);
        assertTrue(slope > -0.8 && slope < -0.25, "slope " + slope);
        assertTrue(pts.get(2).relativeDistance() < 0.15, pts.toString());
    }

    /** The ntk convention (x̃ = [σ_w x/√d, σ_b]) with biases and a non-unit input scale: the run's kernel distance is small. */
    @Test
    void ntkParameterizationUsesTheEffectiveInput() {
        Matrix x = gaussian(8, 6, 331);
        Matrix y = gaussian(8, 1, 332);
        NetworkSpec spec = NetworkSpec.ntk(6, new int[] {512}, 1, Activations.RELU, 1.5, 0.7, true)
                .withTrainable(TrainableLayers.LAST);
        try (Network net = Network.initialize(spec, 333)) {
            CheckResult r = new LastLayerConvex(0.5, 200).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertTrue(r.get("kernel_relative_distance") < 0.15, r.describe());
        }
    }
}
