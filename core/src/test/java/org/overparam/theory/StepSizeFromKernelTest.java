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

    /**
     * A linear model is its own linearization: the threshold 2n/λmax(Θ) is sharp (k = 2, full Gram). Θ = I_k ⊗ AAᵀ
     * for A = [X 1]; λmax(AAᵀ) is computed here by Jacobi rotations and GD's loss trajectory in closed form,
     * r_t = (I − (η/n)AAᵀ)^t r_0, and both are compared with the check's numbers.
     */
    @Test
    void thresholdIsSharpForALinearModelWithVectorOutputs() {
        int n = 10;
        Matrix x = gaussian(n, 3, 81);
        Matrix y = gaussian(n, 2, 82);
        double[][] g = Independent.withOnesGram(x);
        double[] ev = Independent.eigenvalues(g);
        double etaMax = 2.0 * n / ev[n - 1];
        try (Network net = Network.initialize(NetworkSpec.standard(3, new int[0], 2, Activations.LINEAR), 83);
                Matrix r0 = Independent.residual(net, x, y)) {
            CheckResult below = new StepSizeFromKernel(0.98, 400).run(new Setup(net, x, y, Loss.MSE));
            CheckResult above = new StepSizeFromKernel(1.02, 400).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(below.describe() + above.describe());
            assertEquals(Verdict.HOLDS, below.verdict(), below.describe());
            assertEquals(Verdict.HOLDS, above.verdict(), above.describe());
            assertEquals(etaMax, below.get("eta_max"), 1e-10 * etaMax, below.describe());
            assertEquals(2 * etaMax, below.get("eta_max_neural_tangents"), 1e-10 * etaMax, below.describe());
            for (CheckResult r : new CheckResult[] {below, above}) {
                double eta = r.get("eta_over_eta_max") * etaMax;
                double contraction = 0;
                for (double l : ev) { // rank A = 4 < n: the zero eigenvalues leave the residual alone
                    contraction = l > 1e-9 * ev[n - 1] ? Math.max(contraction, Math.abs(1 - eta * l / n)) : contraction;
                }
                assertEquals(contraction, r.get("linear_model_contraction"), 1e-9, r.describe());
                double[] losses = Independent.linearGdLosses(g, r0, eta, 400);
                int t = (int) r.get("steps_run");
                assertEquals(losses[0], r.get("loss_0"), 1e-12 * losses[0], r.describe());
                assertEquals(losses[t], r.get("loss_T"), 1e-6 * losses[t], "closed form at step " + t);
            }
            assertTrue(below.get("linear_model_contraction") < 1 && above.get("linear_model_contraction") > 1);
            assertTrue(below.get("final_over_initial") < 1 && above.get("max_over_initial") > 10, above.describe());
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
