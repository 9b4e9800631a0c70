package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.data.Dataset;
import org.overparam.data.Synthetic;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

/** Check 12 (Chen et al. 2021): holds on margin data, hypothesis not met on random labels and outside the setting. */
class NtrfGeneralizationTest {
    static final int N = 80;
    static final int TEST = 200;

    static Matrix[] marginData() {
        Dataset all = Synthetic.twoClassMargin(N + TEST, 5, 0.3, 21);
        Matrix x = Matrix.of(N + TEST, 5, all.x().data());
        Matrix y = Matrix.of(N + TEST, 1, all.y().data());
        return new Matrix[] {x.rowBlock(0, N).copy(), y.rowBlock(0, N).copy(), x.rowBlock(N, N + TEST).copy(),
            y.rowBlock(N, N + TEST).copy()};
    }

    @Test
    void holdsOnMarginDataWithTheBoundFormulaAsStated() {
        Matrix[] d = marginData();
        try (Network net = Network.initialize(NetworkSpec.chen2021(5, 128, 2), 22)) {
            CheckResult r = new NtrfGeneralization(8, 0.1, 2.0, 400, 0.1, d[2], d[3])
                    .run(new Setup(net, d[0], d[1], Loss.LOGISTIC));
            System.out.println(r.describe());
            // the margin is met, the width's unspecified polynomial cannot be evaluated: not met as a whole
            assertEquals(1.0, r.get("ntrf_margin_met"), r.describe());
            assertFalse(r.hypothesis().met(), r.describe());
            assertEquals(Conclusion.OBSERVED, r.conclusion(), r.describe());
            double eps = r.get("eps_ntrf");
            // the bound formula, recomputed by hand: 2ε + 4^2·2²·8/√80 + √(log 10/80)
            assertEquals(2 * eps + 16 * 4 * 8 / Math.sqrt(80) + Math.sqrt(Math.log(10) / 80), r.bound().value(), 1e-12);
            assertTrue(r.get("train_loss_min") <= 3 * eps);
        }
    }

    @Test
    void randomLabelsHaveNoNtrfMargin() {
        Matrix[] d = marginData();
        SplittableRandom rng = new SplittableRandom(23);
        Matrix y = Matrix.zeros(N, 1);
        for (int i = 0; i < N; i++) {
            y.set(i, 0, rng.nextBoolean() ? 1 : -1);
        }
        try (Network net = Network.initialize(NetworkSpec.chen2021(5, 128, 2), 22)) {
            CheckResult r = new NtrfGeneralization(8, 0.1, 2.0, 400, 0.1, null, null)
                    .run(new Setup(net, d[0], y, Loss.LOGISTIC));
            System.out.println(r.describe());
            assertFalse(r.hypothesis().met());
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict());
            assertEquals(0.0, r.get("ntrf_margin_met"), r.describe());
            assertTrue(r.get("eps_ntrf") > 0.1, r.describe());
        }
    }

    @Test
    void otherParameterizationsAreOutsideTheSetting() {
        Matrix[] d = marginData();
        try (Network net = Network.initialize(NetworkSpec.du2019(5, 32, Activations.RELU), 1)) {
            CheckResult r = new NtrfGeneralization(8, 0.1, 2.0, 10, 0.1, null, null)
                    .run(new Setup(net, d[0], d[1], Loss.LOGISTIC));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertFalse(r.hypothesis().met(), r.describe());
        }
    }
}
