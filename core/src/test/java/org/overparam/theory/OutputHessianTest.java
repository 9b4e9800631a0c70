package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Activation;
import org.overparam.nn.FiniteDifference;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;

/**
 * The output Hessian H_f = ∇²_w f_a(x) against central differences of the gradient ∇_w f_a, its spectral norm
 * against the eigenvalues of the explicit Hessian built column by column from those differences, the gradient
 * against differences of f, and the norm against the closed form of a one-hidden-layer ReLU net.
 */
class OutputHessianTest {
    private static NetworkSpec spec(String act) {
        return new NetworkSpec(3, new int[] {5, 4}, 2, List.of(Activation.parse(act)), Parameterization.NTK, 1.3, 0.4,
                true, TrainableLayers.ALL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tanh", "softplus", "gelu", "relu"})
    void hessianVectorMatchesDifferencesOfTheOutputGradient(String act) {
        Matrix x = gaussian(1, 3, 1);
        try (Network net = Network.initialize(spec(act), 2)) {
            for (int a = 0; a < 2; a++) {
                Matrix v = gaussian((int) net.parameterCount(), 1, 3 + a);
                Matrix hv = net.newParameterVector();
                OutputHessian.apply(net, x, a, v, hv);
                Matrix fd = net.newParameterVector();
                int out = a;
                FiniteDifference.directionalVector(net.parameters(), v, 1e-5,
                        g -> OutputHessian.gradient(net, x, out, g), fd);
                double err = Vectors.distance(hv, fd) / Math.max(fd.frobenius(), 1e-8);
                assertTrue(err < 1e-6, act + " output " + a + ": relative error " + err);
                // and the gradient against differences of f itself
                Matrix g = net.newParameterVector();
                OutputHessian.gradient(net, x, out, g);
                double fdF = FiniteDifference.directional(net.parameters(), v, 1e-6, w -> net.predict(x).get(0, out));
                assertTrue(FiniteDifference.relativeError(Vectors.dot(g, v), fdF, 1e-8) < 1e-6, act);
            }
        }
    }

    /** ‖H_f‖₂ from Lanczos against max |λ| of the explicit Hessian whose columns are differences of gradients. */
    @ParameterizedTest
    @ValueSource(strings = {"tanh", "softplus"})
    void spectralNormMatchesTheExplicitHessianFromDifferences(String act) {
        Matrix x = gaussian(1, 3, 7);
        try (Network net = Network.initialize(spec(act), 8)) {
            int p = (int) net.parameterCount();
            Matrix h = Matrix.zeros(p, p);
            Matrix e = net.newParameterVector();
            Matrix col = net.newParameterVector();
            for (int j = 0; j < p; j++) {
                e.fill(0.0);
                e.setAt(j, 1.0);
                FiniteDifference.directionalVector(net.parameters(), e, 1e-5, g -> OutputHessian.gradient(net, x, 1, g),
                        col);
                for (int i = 0; i < p; i++) {
                    h.set(i, j, col.at(i));
                }
            }
            Matrix hs = Matrix.zeros(p, p);
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    hs.set(i, j, 0.5 * (h.get(i, j) + h.get(j, i)));
                }
            }
            double[] ev = Lapack.symmetricEigenvalues(hs); // ascending
            double exact = Math.max(ev[p - 1], -ev[0]);
            OutputHessian.Norm n = OutputHessian.spectralNorm(net, x, 1, 11);
            assertEquals(p, n.dimension());
            assertEquals(exact, n.norm(), 1e-6 * exact, act);
            assertEquals(ev[p - 1], n.largest(), 1e-6 * exact);
            assertEquals(ev[0], n.smallest(), 1e-6 * exact);
            assertTrue(n.converged() && n.residual() < 1e-5 * exact, "residual " + n.residual());
        }
    }

    /**
     * One hidden ReLU layer: σ'' = 0, so H_f only couples a unit's output weight with its own incoming weights and
     * bias; every active unit r gives the eigenvalues ±s_1·√(s_0²‖x‖² + β_0²), whatever the width.
     */
    @Test
    void oneHiddenReluLayerHasTheClosedFormNorm() {
        int d = 4;
        int m = 40;
        Matrix x = gaussian(1, d, 3);
        NetworkSpec s = NetworkSpec.ntk(d, new int[] {m}, 1, Activation.parse("relu"), 1.0, 0.1, true);
        try (Network net = Network.initialize(s, 4)) {
            double s0 = net.weightScale(0);
            double s1 = net.weightScale(1);
            double b0 = net.biasScale(0);
            double expected = s1 * Math.sqrt(s0 * s0 * Vectors.dot(x, x) + b0 * b0);
            OutputHessian.Norm n = OutputHessian.spectralNorm(net, x, 0, 5);
            assertEquals(expected, n.norm(), 1e-8 * expected);
            assertEquals(-n.largest(), n.smallest(), 1e-8 * expected, "a symmetric spectrum");
        }
    }
}
