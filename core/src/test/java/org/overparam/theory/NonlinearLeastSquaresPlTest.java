package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.SymmetricEigen;
import org.overparam.linalg.Lapack;
import org.overparam.nn.Activation;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

class NonlinearLeastSquaresPlTest {
    private final NonlinearLeastSquaresPl check = new NonlinearLeastSquaresPl();

    /**
     * Linear algebra: never violated on random nets (scalar and vector outputs, several activations). The loss,
     * ‖∇L‖² and λmin(JJᵀ) are recomputed here from a central-difference Jacobian (∇L = Jᵀ(h − y)/n) and Jacobi
     * eigenvalues, not from the check's backprop, NTK and LAPACK, and the inequality is checked on those numbers.
     */
    @Test
    void holdsOnRandomSmallNets() {
        Activation[] acts = {Activations.TANH, Activations.RELU, Activations.ERF};
        for (long seed = 1; seed <= 6; seed++) {
            int k = seed % 2 == 0 ? 2 : 1;
            int n = 5;
            Matrix x = gaussian(n, 3, 10 * seed);
            Matrix y = gaussian(n, k, 10 * seed + 1);
            NetworkSpec spec = NetworkSpec.standard(3, new int[] {16, 8}, k, acts[(int) (seed % 3)]);
            try (Network net = Network.initialize(spec, seed)) {
                CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
                assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
                double[][] jac = Independent.jacobian(net, x, 1e-6);
                double loss;
                double[] grad = new double[jac[0].length];
                try (Matrix res = Independent.residual(net, x, y)) {
                    loss = 0;
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < k; c++) {
                            loss += res.get(i, c) * res.get(i, c) / (2.0 * n);
                            for (int q = 0; q < grad.length; q++) {
                                grad[q] += jac[i * k + c][q] * res.get(i, c) / n;
                            }
                        }
                    }
                }
                double g2 = 0;
                for (double g : grad) {
                    g2 += g * g;
                }
                double[] ev = Independent.eigenvalues(Independent.gramRows(jac));
                assertEquals(loss, r.get("loss"), 1e-12 * loss, r.describe());
                assertEquals(g2, r.get("grad_norm_sq"), 1e-6 * g2, r.describe());
                assertEquals(ev[n * k - 1], r.get("lambda_max_JJt"), 1e-6 * ev[n * k - 1], r.describe());
                assertEquals(ev[0], r.get("lambda_min_JJt"), 1e-6 * ev[n * k - 1], r.describe());
                assertTrue(ev[0] > 1e-4 * ev[n * k - 1], "J has full row rank here: " + java.util.Arrays.toString(ev));
                assertEquals(2 * ev[0] / n * loss, r.bound().value(), 1e-6 * 2 * ev[n * k - 1] / n * loss, r.describe());
                assertTrue(g2 >= 2 * ev[0] / n * loss * (1 - 1e-6), g2 + " < 2 lambda_min L/n = " + 2 * ev[0] / n * loss);
            }
        }
    }

    /**
     * Tight case pinning the constant 2/n: for h = Xw (no bias) Θ = XXᵀ; with the residual h − y along Θ's
     * bottom eigenvector, ‖∇L‖² equals (2λmin/n)·L exactly (ratio 1). A wrong normalization breaks this.
     */
    @Test
    void isAnEqualityWhenTheResidualIsTheBottomEigenvector() {
        int n = 5;
        int d = 9;
        Matrix x = gaussian(n, d, 21);
        try (Network net = Network.initialize(TheoryFixtures.linearNoBias(d, 1), 22)) {
            SymmetricEigen e = Lapack.symmetricEigen(Blas.multiply(x, false, x, true));
            Matrix h = net.predict(x);
            Matrix y = Matrix.zeros(n, 1);
            for (int i = 0; i < n; i++) {
                y.setAt(i, h.at(i) - 0.7 * e.vectors().get(i, 0)); // r = 0.7·v_min
            }
            CheckResult r = check.run(new Setup(net, x, y, Loss.MSE));
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(e.values()[0], r.get("lambda_min_JJt"), 1e-10 * e.values()[n - 1]);
            assertEquals(1.0, r.get("ratio_to_bound"), 1e-8, r.describe());
        }
    }

    @Test
    void hypothesisNotMetForCrossEntropy() {
        Matrix x = gaussian(6, 3, 31);
        Matrix y = Matrix.of(6, 1, 0, 1, 2, 0, 1, 2);
        try (Network net = Network.initialize(NetworkSpec.standard(3, new int[] {8}, 3, Activations.TANH), 32)) {
            CheckResult r = check.run(new Setup(net, x, y, Loss.CROSS_ENTROPY));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertFalse(r.hypothesis().met(), r.describe());
            assertTrue(r.measured().isEmpty(), "nothing is measured outside the hypothesis: " + r.describe());
        }
    }

    @Test
    void verdictReportsAViolationBeyondTolerance() {
        assertEquals(Conclusion.OBSERVED, NonlinearLeastSquaresPl.conclusion(1.0, 1.0 + 1e-12, 5.0, 1e-10));
        assertEquals(Conclusion.NOT_OBSERVED, NonlinearLeastSquaresPl.conclusion(0.9, 1.0, 5.0, 1e-10));
        assertEquals(Conclusion.NOT_OBSERVED, NonlinearLeastSquaresPl.conclusion(5.1, 1.0, 5.0, 1e-10));
    }

    /** The path observer's ratios are ‖∇L‖²/L at each iterate; at w_0 it agrees with the check's pointwise μ. */
    @Test
    void plAlongPathRecordsThePointwiseRatioAndItsMinimum() {
        int n = 6;
        Matrix x = gaussian(n, 3, 41);
        Matrix y = gaussian(n, 1, 42);
        try (Network net = Network.initialize(NetworkSpec.standard(3, new int[] {32}, 1, Activations.TANH), 43)) {
            CheckResult at0 = check.run(new Setup(net, x, y, Loss.MSE));
            PlAlongPath path = new PlAlongPath();
            new Trainer(net, x, y, TrainSpec.gd(Loss.MSE, 0.2, 30, 0).withRecordEvery(5)).observe(path).run();
            assertEquals(java.util.List.of(0L, 5L, 10L, 15L, 20L, 25L), path.steps()); // final step has no gradient
            assertEquals(31, path.losses().size());
            assertEquals(at0.get("pointwise_mu"), path.ratios().get(0), 1e-10 * at0.get("pointwise_mu"));
            double min = path.ratios().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertEquals(min, path.minRatio());
            assertEquals(min / 2, path.karimiMu());
            assertTrue(path.describe().contains("infimum over a region"), path.describe());
            System.out.println("PL along path: " + path.describe() + "; at w_0 " + at0.describe());
        }
    }
}
