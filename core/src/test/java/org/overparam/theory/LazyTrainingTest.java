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

class LazyTrainingTest {
    private static final int N = 6;
    private static final double LR = 1.8; // eta_eff = eta/n = 0.3 on their 1/2||u - y||^2

    private static CheckResult run(int m, Matrix x, Matrix y, long seed) {
        try (Network net = Network.initialize(NetworkSpec.du2019(x.cols(), m, Activations.RELU), seed)) {
            return new LazyTraining(LR, 300).run(new Setup(net, x, y, Loss.MSE));
        }
    }

    /**
     * Log grid m = 32, 128, 512: the movement of the first layer and the change of the Gram shrink with m
     * (~1/√m), and at m = 512 every predicted bound is met.
     */
    @Test
    void wideNetsTrainLazilyAndMeetTheBounds() {
        Matrix x = TheoryFixtures.sphere(N, 5, 401);
        Matrix y = gaussian(N, 1, 402);
        CheckResult[] rs = new CheckResult[3];
        int[] widths = {32, 128, 512};
        for (int i = 0; i < 3; i++) {
            rs[i] = run(widths[i], x, y, 403);
            System.out.println(rs[i].describe());
        }
        CheckResult wide = rs[2];
        assertEquals(Verdict.HOLDS, wide.verdict(), wide.describe());
        assertTrue(wide.get("loss_ratio") <= wide.get("predicted_rate"), wide.describe());
        assertTrue(wide.get("lambda_min_GT") >= wide.get("lambda0") / 2, wide.describe());
        assertTrue(wide.get("max_weight_movement") <= wide.get("R_prime"), wide.describe());
        assertTrue(wide.get("flipped_fraction") <= wide.get("near_boundary_fraction"), wide.describe());
        assertEquals(LR / N, wide.get("eta_eff"), 1e-15);
        assertTrue(rs[0].get("max_weight_movement") > 2 * rs[2].get("max_weight_movement"), "movement ~ 1/sqrt m");
        assertTrue(rs[0].get("gram_relative_change_F") > 2 * rs[2].get("gram_relative_change_F"), "Gram change ~ 1/sqrt m");
        // m = 32: ||G(T) - G(0)||_2 exceeds lambda0/4 — a miss far below the theorem's width is inconclusive
        assertEquals(Verdict.INCONCLUSIVE, rs[0].verdict(), rs[0].describe());
        assertTrue(rs[0].why().contains("lambda0/4") && rs[0].why().contains("does not refute"), rs[0].why());
    }

    @Test
    void outsideTheirSettingIsHypothesisNotMet() {
        Matrix x = TheoryFixtures.sphere(N, 5, 411);
        Matrix y = gaussian(N, 1, 412);
        // standard parameterization with biases
        try (Network net = Network.initialize(NetworkSpec.standard(5, new int[] {256}, 1, Activations.RELU), 413)) {
            CheckResult r = new LazyTraining(LR, 10).run(new Setup(net, x, y, Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertTrue(r.why().contains("standard") && r.why().contains("biases"), r.why());
        }
        // their net, inputs not on the sphere
        Matrix big = gaussian(N, 5, 414);
        try (Network net = Network.initialize(NetworkSpec.du2019(5, 256, Activations.RELU), 415)) {
            CheckResult r = new LazyTraining(LR, 10).run(new Setup(net, big, y, Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertTrue(r.why().contains("!= 1"), r.why());
        }
    }
}
