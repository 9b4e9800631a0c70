package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activation;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

/** In the style of neural-tangents' own max_learning_rate test: a wide ntk-parameterized net, n = 8. */
class StepSizeFromKernelTest {
    private static Network wide(Activation act, long seed) {
        return Network.initialize(NetworkSpec.ntk(4, new int[] {256}, 1, act, 1.0, 0.1, true), seed);
    }

    @Test
    void halfTheMaxStepConverges() {
        Matrix x = gaussian(8, 4, 71);
        Matrix y = gaussian(8, 1, 72);
        for (Activation act : new Activation[] {Activations.TANH, Activations.ERF}) {
            try (Network net = wide(act, 73)) {
                CheckResult r = new StepSizeFromKernel(0.5, 200).run(new Setup(net, x, y, Loss.MSE));
                System.out.println(r.describe());
                assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
                assertTrue(r.get("final_over_initial") < 0.1, r.describe());
            }
        }
    }

    @Test
    void threeTimesTheMaxStepBlowsUp() {
        Matrix x = gaussian(8, 4, 71);
        Matrix y = gaussian(8, 1, 72);
        for (Activation act : new Activation[] {Activations.TANH, Activations.ERF}) {
            try (Network net = wide(act, 74)) {
                CheckResult r = new StepSizeFromKernel(3.0, 20).run(new Setup(net, x, y, Loss.MSE));
                System.out.println(r.describe());
                assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
                assertTrue(r.get("max_over_initial") > 10, r.describe());
            }
        }
    }

    /** A linear model is its own linearization: the threshold 2n/λmax(Θ) is sharp (k = 2, full Gram). */
    @Test
    void thresholdIsSharpForALinearModelWithVectorOutputs() {
        Matrix x = gaussian(10, 3, 81);
        Matrix y = gaussian(10, 2, 82);
        try (Network net = Network.initialize(NetworkSpec.standard(3, new int[0], 2, Activations.LINEAR), 83)) {
            CheckResult below = new StepSizeFromKernel(0.98, 400).run(new Setup(net, x, y, Loss.MSE));
            CheckResult above = new StepSizeFromKernel(1.02, 400).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(below.describe() + above.describe());
            assertEquals(Verdict.HOLDS, below.verdict(), below.describe());
            assertEquals(Verdict.HOLDS, above.verdict(), above.describe());
            assertTrue(below.get("linear_model_contraction") < 1 && above.get("linear_model_contraction") > 1);
            assertTrue(below.get("final_over_initial") < 1 && above.get("max_over_initial") > 10, above.describe());
            assertEquals(2 * below.get("eta_max"), below.get("eta_max_neural_tangents"), 1e-12);
            assertEquals(below.get("eta_max"), StepSizeFromKernel.maxStep(new Setup(net, x, y, Loss.MSE)), 0);
        }
    }

    @Test
    void hypothesisNotMetForCrossEntropy() {
        Matrix x = gaussian(8, 4, 91);
        Matrix y = Matrix.of(8, 1, 0, 1, 0, 1, 0, 1, 0, 1);
        try (Network net = Network.initialize(NetworkSpec.ntk(4, new int[] {64}, 2, Activations.TANH, 1, 0, true), 92)) {
            CheckResult r = new StepSizeFromKernel(0.5, 10).run(new Setup(net, x, y, Loss.CROSS_ENTROPY));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
        }
    }
}
