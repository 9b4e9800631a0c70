package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** Linear algebra: never violated on random nets (scalar and vector outputs, several activations). */
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
                assertTrue(r.get("lambda_min_JJt") > 0, "J has full row rank here: " + r.describe());
                assertTrue(r.get("ratio_to_bound") >= 1 - 1e-9, r.describe());
                assertEquals(r.get("grad_norm_sq") / r.get("loss"), r.get("pointwise_mu"), 1e-12 * r.get("pointwise_mu"));
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
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict());
            assertEquals("hypothesis not met", r.verdict().label());
            assertTrue(!r.hypothesis().met() && r.why().contains("cross_entropy"), r.describe());
        }
    }

    @Test
    void verdictReportsAViolationBeyondTolerance() {
        assertEquals(Verdict.HOLDS, NonlinearLeastSquaresPl.verdict(1.0, 1.0 + 1e-12, 5.0, 1e-10));
        assertEquals(Verdict.VIOLATED, NonlinearLeastSquaresPl.verdict(0.9, 1.0, 5.0, 1e-10));
        assertEquals(Verdict.VIOLATED, NonlinearLeastSquaresPl.verdict(5.1, 1.0, 5.0, 1e-10));
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
