package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

class FullRankJacobianTest {
    private static final Activations.LeakyRelu LEAKY = new Activations.LeakyRelu(0.1);
    private final FullRankJacobian check = new FullRankJacobian();

    @Test
    void oneHiddenLayerWithEnoughFirstLayerWeightsHasRankN() {
        Matrix x = gaussian(20, 4, 101);
        Matrix y = gaussian(20, 1, 102);
        try (Network net = Network.initialize(NetworkSpec.ntk(4, new int[] {8}, 1, LEAKY, 1, 0, false), 103)) {
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(20, r.get("rank_J_layer"));
            assertEquals(20, r.get("rank_J_all"));
            assertEquals(32.0 / 20, r.get("d_in_d_out_over_n"));
        }
    }

    /**
     * Deeper: the condition sits on the last hidden weight matrix (layer 1), d1·d2 = 6·10 ≥ n = 20. With only 5
     * units in the last hidden layer (6·5 = 30 ≥ 20 still) several points share a pattern and rank J fell to 18:
     * the rank never exceeds the pattern-group bound Σ_p min(|p|, d_in), and when that bound is below n the
     * check says the patterns are not in general position.
     */
    @Test
    void deeperNetUsesTheLastHiddenWeightMatrix() {
        Matrix x = gaussian(20, 8, 111);
        Matrix y = gaussian(20, 1, 112);
        try (Network net = Network.initialize(NetworkSpec.ntk(8, new int[] {6, 10}, 1, LEAKY, 1, 0, false), 113)) {
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(1, r.get("condition_layer"));
            assertEquals(20, r.get("rank_J_layer"));
        }
        try (Network net = Network.initialize(NetworkSpec.ntk(8, new int[] {6, 5}, 1, LEAKY, 1, 0, false), 113)) {
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertTrue(r.get("rank_J_layer") <= r.get("pattern_group_bound"), r.describe());
            assertTrue(r.get("rank_J_layer") < 20, r.describe());
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
        }
    }

    /** Every unit active on every point (large positive bias): linear on the data, rank ≤ d0 + 1, not a violation. */
    @Test
    void degenerateAllActivePatternIsHypothesisNotMet() {
        Matrix x = gaussian(20, 4, 121);
        Matrix y = gaussian(20, 1, 122);
        try (Network net = Network.initialize(NetworkSpec.standard(4, new int[] {16}, 1, LEAKY), 123)) {
            net.bias(0).fill(50.0);
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertEquals(16, r.get("units_with_constant_pattern"));
            assertTrue(r.get("rank_J_layer") <= 5, r.describe());
            assertFalse(r.hypothesis().met(), r.describe());
        }
    }

    @Test
    void tooFewWeightsIsHypothesisNotMetAndRankIsTheCount() {
        Matrix x = gaussian(20, 4, 131);
        Matrix y = gaussian(20, 1, 132);
        try (Network net = Network.initialize(NetworkSpec.ntk(4, new int[] {3}, 1, LEAKY, 1, 0, false), 133)) {
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertEquals(12, r.get("rank_J_layer"));
        }
        try (Network net = Network.initialize(NetworkSpec.ntk(4, new int[] {8}, 1, Activations.RELU, 1, 0, false), 134)) {
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, check.run(new Setup(net, x, y, Loss.MSE)).verdict());
        }
    }

    /** rank J/n = min(1, d0·d1/n): linear below 1, saturated from the first width with d0·d1 ≥ n. */
    @Test
    void phaseTransitionAtOne() {
        Matrix x = gaussian(30, 5, 141);
        List<FullRankJacobian.Point> pts = FullRankJacobian.phaseTransition(x, LEAKY, new int[] {2, 3, 4, 5, 6, 8, 10}, 142);
        System.out.println("rank J/n against d0*d1/n: " + pts);
        for (FullRankJacobian.Point p : pts) {
            assertEquals(Math.min(1.0, p.parametersOverN()), p.rankOverN(), 1e-12, p.toString());
        }
        FullRankJacobian.Point firstFull = pts.stream().filter(p -> p.rankOverN() == 1.0).findFirst().orElseThrow();
        assertTrue(firstFull.parametersOverN() >= 1 && firstFull.parametersOverN() < 1.2, firstFull.toString());
        assertTrue(pts.get(0).rankOverN() < 0.5, pts.toString());
    }
}
