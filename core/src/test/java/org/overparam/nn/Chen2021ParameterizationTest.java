package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;

/**
 * The chen2021 preset (Chen, Cao, Zou &amp; Gu, ICLR 2021, Section 3): f(x) = √m·W_L σ(W_{L−1} ⋯ σ(W_1 x)), hidden
 * W_l ~ N(0, 2/m), W_L ~ N(0, 1/m). Its gradients are checked against finite differences in {@link DerivativeTest}
 * and its empirical NTK against the Jacobian route in {@code EmpiricalNtkTest}.
 */
class Chen2021ParameterizationTest {

    /** Sample mean and variance of the entries of W_l, against 0 and 2/m (hidden) or 1/m (output). */
    @Test
    void initializationHasTheStatedVariances() {
        int m = 512;
        try (Network net = Network.initialize(NetworkSpec.chen2021(10, m, 3), 5)) {
            double[] want = {2.0 / m, 2.0 / m, 1.0 / m};
            for (int l = 0; l < 3; l++) {
                double[] w = net.weight(l).toArray();
                double mean = 0;
                for (double v : w) {
                    mean += v;
                }
                mean /= w.length;
                double var = 0;
                for (double v : w) {
                    var += (v - mean) * (v - mean);
                }
                var /= w.length - 1;
                // five standard errors: sd(mean) = sqrt(var/N), sd(var)/var = sqrt(2/N) for Gaussians
                assertEquals(0, mean, 5 * Math.sqrt(want[l] / w.length), "layer " + l + " mean");
                assertEquals(want[l], var, 5 * want[l] * Math.sqrt(2.0 / w.length), "layer " + l + " variance");
                assertEquals(l == 2 ? Math.sqrt(m) : 1.0, net.weightScale(l), 0.0);
            }
        }
    }

    /** f(x) = √m·W_L·relu(W_2 relu(W_1 x)) recomputed from the weights, and Var f(x) ≈ ‖x‖² = 1 at any m. */
    @Test
    void outputIsSqrtMTimesTheLastLayerAndOfOrderOne() {
        Matrix x = Matrix.of(1, 4, 0.5, -0.5, 0.5, 0.5); // unit norm
        for (int m : new int[] {32, 256}) {
            int seeds = 400;
            double sum = 0;
            double sq = 0;
            for (int s = 0; s < seeds; s++) {
                try (Network net = Network.initialize(NetworkSpec.chen2021(4, m, 3), 100 + s)) {
                    double f = net.predict(x).get(0, 0);
                    if (s < 3) {
                        Matrix h = x;
                        for (int l = 0; l < 2; l++) {
                            h = Blas.multiply(h, false, net.weight(l), true);
                            for (long k = 0; k < h.size(); k++) {
                                h.setAt(k, Math.max(0, h.at(k)));
                            }
                        }
                        double ref = Math.sqrt(m) * Blas.multiply(h, false, net.weight(2), true).get(0, 0);
                        assertEquals(ref, f, 1e-12 * Math.max(1, Math.abs(ref)), "m=" + m + " seed " + s);
                    }
                    sum += f;
                    sq += f * f;
                }
            }
            double var = sq / seeds - (sum / seeds) * (sum / seeds);
            // He init keeps E‖h_{L−1}‖² = ‖x‖² = 1 exactly, so f ~ N(0, ‖h‖²) has variance 1 at every m; sd of the estimate
            // is about sqrt(2/400) = 0.07, so 0.3 is four standard errors and rules out a missing or doubled √m.
            assertEquals(1.0, var, 0.3, "Var f(x) at m = " + m);
        }
    }

    @Test
    void refusesWhatIsNotTheirModel() {
        assertThrows(InputError.class, () -> new NetworkSpec(4, new int[] {8, 16}, 1, List.of(Activations.RELU),
                Parameterization.CHEN2021, 1, 0, false, TrainableLayers.ALL));
        assertThrows(InputError.class, () -> new NetworkSpec(4, new int[] {8}, 1, List.of(Activations.RELU),
                Parameterization.CHEN2021, 1, 0, true, TrainableLayers.ALL));
        assertThrows(InputError.class, () -> new NetworkSpec(4, new int[] {8}, 2, List.of(Activations.RELU),
                Parameterization.CHEN2021, 1, 0, false, TrainableLayers.ALL));
        assertThrows(InputError.class, () -> new NetworkSpec(4, new int[] {8}, 1, List.of(Activation.parse("tanh")),
                Parameterization.CHEN2021, 1, 0, false, TrainableLayers.ALL));
        assertThrows(InputError.class, () -> NetworkSpec.chen2021(4, 8, 1));
        assertEquals(Parameterization.CHEN2021, Parameterization.parse("Chen2021"));
    }
}
