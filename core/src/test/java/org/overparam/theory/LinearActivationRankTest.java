package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activation;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

class LinearActivationRankTest {
    private final LinearActivationRank check = new LinearActivationRank();

    @Test
    void fullRankInputsGiveRankNForLinearAndLeakyRelu() {
        Matrix x = gaussian(5, 8, 201);
        Matrix y = gaussian(5, 1, 202);
        for (Activation act : new Activation[] {Activations.LINEAR, new Activations.LeakyRelu(0.2)}) {
            try (Network net = Network.initialize(NetworkSpec.ntk(8, new int[] {6}, 1, act, 1, 0, false), 203)) {
                CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
                System.out.println(r.describe());
                assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
                assertEquals(5, r.get("rank_J"));
                assertEquals(5, r.get("rank_X"));
            }
        }
        // with biases the relevant matrix is [X 1]: d0 + 1 = 5 >= n = 5
        Matrix x4 = gaussian(5, 4, 204);
        try (Network net = Network.initialize(NetworkSpec.standard(4, new int[] {3}, 1, new Activations.LeakyRelu(0.05)),
                205)) {
            CheckResult r = check.run(new Setup(net, x4, y, Loss.MSE));
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(5, r.get("rank_J"));
        }
    }

    /** rank X = 4 < n = 6: for σ linear rank J = rank X = 4 < n, and the hypothesis rank X = n is reported not met. */
    @Test
    void rankDeficientInputsGiveRankJEqualRankXAndHypothesisNotMet() {
        Matrix x = gaussian(6, 8, 211);
        for (int j = 0; j < 8; j++) {
            x.set(4, j, x.get(0, j) + x.get(1, j));
            x.set(5, j, 2 * x.get(2, j));
        }
        Matrix y = gaussian(6, 1, 212);
        try (Network net = Network.initialize(NetworkSpec.ntk(8, new int[] {7}, 1, Activations.LINEAR, 1, 0, false), 213)) {
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertEquals(4, r.get("rank_X"));
            assertEquals(4, r.get("rank_J"));
            assertEquals(1.0, r.get("linear_rank_identity"));
            assertFalse(r.hypothesis().met(), r.describe());
        }
    }

    @Test
    void tanhIsOutsideTheHypothesis() {
        Matrix x = gaussian(5, 8, 221);
        Matrix y = gaussian(5, 1, 222);
        try (Network net = Network.initialize(NetworkSpec.ntk(8, new int[] {6}, 1, Activations.TANH, 1, 0, false), 223)) {
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
        }
    }
}
