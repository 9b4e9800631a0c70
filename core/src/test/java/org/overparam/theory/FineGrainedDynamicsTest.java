package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

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

    /** The check's result and, computed here, ‖y − u(0)‖² and the H^∞ prediction ‖(I − η_eff H^∞)^T (y − u(0))‖². */
    private record Run(CheckResult r, double residualSq0, double predictedSqT) {
    }

    private static Run run(int m, Matrix x, Matrix y) {
        return run(m, x, y, 200);
    }

    private static Run run(int m, Matrix x, Matrix y, int steps) {
        try (Network net = Network.initialize(NetworkSpec.du2019(D, m, Activations.RELU), 803);
                Matrix r0 = Independent.residual(net, x, y)) {
            CheckResult r = new FineGrainedDynamics(LR, steps, 0.05, 50, 804).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            // GD on the kernel model with H^inf (arccos formula), by the recurrence instead of H^inf's eigenvectors
            double[] losses = Independent.linearGdLosses(Independent.hInfinity(x), r0, LR, steps);
            return new Run(r, 2 * N * losses[0], 2 * N * losses[steps]);
        }
    }

    /** yᵀ(H^∞)⁻¹y by Gaussian elimination. */
    private static double inverseQuadratic(Matrix x, Matrix y) {
        double[] v = y.toArray();
        double[] sol = Independent.solve(Independent.hInfinity(x), v);
        double q = 0;
        for (int i = 0; i < v.length; i++) {
            q += v[i] * sol[i];
        }
        return q;
    }

    /**
     * m = 1024: the measured residual follows the H^inf eigen-prediction; random labels have a larger y^T H^-1 y.
     * The prediction, ‖y − u(0)‖² and yᵀ(H^∞)⁻¹y are recomputed here (recurrence, Gaussian elimination).
     */
    @Test
    void wideNetFollowsThePrediction() {
        Matrix x = TheoryFixtures.sphere(N, D, 801);
        Matrix y = structured(x);
        Run run = run(1024, x, y);
        CheckResult r = run.r();
        // their width has unstated constants: never a met hypothesis at finite m; the conclusion is what is seen
        assertFalse(r.hypothesis().met(), r.describe());
        assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
        assertEquals(Conclusion.OBSERVED, r.conclusion(), r.describe());
        assertTrue(Math.sqrt(run.predictedSqT() / run.residualSq0()) <= 0.05, "the horizon decides");
        assertEquals(run.residualSq0(), r.get("residual_sq_0"), 1e-12 * run.residualSq0(), r.describe());
        assertEquals(run.predictedSqT(), r.get("residual_sq_T_predicted"), 1e-9 * run.residualSq0(), r.describe());
        // the theorem at k = T on the prediction computed here
        assertTrue(Math.abs(Math.sqrt(r.get("residual_sq_T_measured")) - Math.sqrt(run.predictedSqT()))
                <= 0.05 * Math.sqrt(run.residualSq0()), r.describe());
        assertEquals(LR / N, r.get("eta_eff"), 1e-15);
        double q = inverseQuadratic(x, y);
        assertEquals(q, r.get("yT_Hinv_y_true"), 1e-9 * q, r.describe());
        assertEquals(Math.sqrt(2 * q / N), r.get("generalization_bound_true"), 1e-9, r.describe());
        assertTrue(r.get("random_over_true") > 1, "random labels need a larger y^T H^-1 y: " + r.describe());
        assertTrue(r.get("residual_sq_T_measured") < 0.05 * run.residualSq0(), r.describe());
    }

    /**
     * Issue 13: a horizon on which the prediction has not yet fallen below the tolerance cannot tell a run that
     * follows it from one that barely moves: undecided, not observed. The prediction's residual at T is recomputed here.
     */
    @Test
    void aShortHorizonIsUndecided() {
        Matrix x = TheoryFixtures.sphere(N, D, 801);
        Run run = run(1024, x, structured(x), 5);
        CheckResult r = run.r();
        assertTrue(Math.sqrt(run.predictedSqT() / run.residualSq0()) > 0.05, "the prediction is still high at T = 5");
        assertEquals(Conclusion.UNDECIDED, r.conclusion(), r.describe());
        assertTrue(r.get("max_relative_deviation") <= 0.05, r.describe());
    }

    /** m = 8: the deviation is large: the conclusion is not observed (and the width hypothesis is not met). */
    @Test
    void narrowNetIsNotObserved() {
        Matrix x = TheoryFixtures.sphere(N, D, 801);
        Run run = run(8, x, structured(x));
        CheckResult r = run.r();
        assertEquals(Conclusion.NOT_OBSERVED, r.conclusion(), r.describe());
        assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
        assertEquals(0.0, r.get("diverged"), r.describe());
        assertEquals(run.predictedSqT(), r.get("residual_sq_T_predicted"), 1e-9 * run.residualSq0(), r.describe());
        // the worst step, rerun here: GD for k steps on a copy, the residual from its outputs, the prediction by
        // the recurrence; their distance is the reported deviation and exceeds the 5 % tolerance
        int k = (int) r.get("max_relative_deviation_step");
        try (Network net = Network.initialize(NetworkSpec.du2019(D, 8, Activations.RELU), 803);
                Matrix r0 = Independent.residual(net, x, structured(x))) {
            double predictedSq = 2 * N * Independent.linearGdLosses(Independent.hInfinity(x), r0, LR, k)[k];
            new Trainer(net, x, structured(x), TrainSpec.gd(Loss.MSE, LR, k, 0)).run();
            double measuredSq;
            try (Matrix uk = net.predict(x)) {
                measuredSq = 2 * N * Independent.mse(uk, structured(x));
            }
            double dev = Math.abs(Math.sqrt(measuredSq) - Math.sqrt(predictedSq)) / Math.sqrt(run.residualSq0());
            assertEquals(dev, r.get("max_relative_deviation"), 1e-9, r.describe());
            assertTrue(dev > 0.05, "step " + k + ": " + dev);
        }
    }

    @Test
    void outsideTheirSettingIsHypothesisNotMet() {
        Matrix x = TheoryFixtures.sphere(N, D, 811);
        try (Network net = Network.initialize(NetworkSpec.ntk(D, new int[] {64}, 1, Activations.RELU, 1.0, 0.0, false),
                813)) {
            CheckResult r = new FineGrainedDynamics(LR, 10, 0.05, 5, 1).run(new Setup(net, x, structured(x), Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertFalse(r.hypothesis().met(), r.describe());
        }
    }
}
