package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

class FineGrainedDynamicsTest {
    private static final int N = 8;
    private static final int D = 4;
    private static final double LR = 2.4; // eta_eff = eta/n = 0.3 on their 1/2||u - y||^2

    /** Structured labels: y_i = x_i1 + x_i2 (a linear function of the input). */
    private static Matrix structured(Matrix x) {
        Matrix y = Matrix.zeros(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, x.get(i, 0) + x.get(i, 1));
        }
        return y;
    }

    private static CheckResult run(int m, Matrix x, Matrix y) {
        try (Network net = Network.initialize(NetworkSpec.du2019(D, m, Activations.RELU), 803)) {
            return new FineGrainedDynamics(LR, 200, 0.05, 50, 804).run(new Setup(net, x, y, Loss.MSE));
        }
    }

    /** m = 1024: the measured residual follows the H^inf eigen-prediction; random labels have a larger y^T H^-1 y. */
    @Test
    void wideNetFollowsThePrediction() {
        Matrix x = TheoryFixtures.sphere(N, D, 801);
        Matrix y = structured(x);
        CheckResult r = run(1024, x, y);
        System.out.println(r.describe());
        assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
        assertTrue(r.get("max_relative_deviation") <= 0.05, r.describe());
        assertEquals(LR / N, r.get("eta_eff"), 1e-15);
        assertTrue(r.get("random_over_true") > 1, "random labels need a larger y^T H^-1 y: " + r.describe());
        assertEquals(Math.sqrt(2 * r.get("yT_Hinv_y_true") / N), r.get("generalization_bound_true"), 1e-12);
        assertTrue(r.get("residual_sq_T_measured") < 0.05 * r.get("residual_sq_0"), r.describe());
    }

    /** m = 8: the deviation is large; finite width makes it inconclusive, not violated. */
    @Test
    void narrowNetIsInconclusive() {
        Matrix x = TheoryFixtures.sphere(N, D, 801);
        CheckResult r = run(8, x, structured(x));
        System.out.println(r.describe());
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r.describe());
        assertTrue(r.get("max_relative_deviation") > 0.05 && r.why().contains("finite"), r.describe());
    }

    @Test
    void outsideTheirSettingIsHypothesisNotMet() {
        Matrix x = TheoryFixtures.sphere(N, D, 811);
        try (Network net = Network.initialize(NetworkSpec.ntk(D, new int[] {64}, 1, Activations.RELU, 1.0, 0.0, false),
                813)) {
            CheckResult r = new FineGrainedDynamics(LR, 10, 0.05, 5, 1).run(new Setup(net, x, structured(x), Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertTrue(r.why().contains("ntk"), r.why());
        }
    }
}
