package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.HessianVector;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.TrainableLayers;
import org.overparam.train.Loss;

class SmoothnessTest {
    @Test
    void leastSquaresGivesLambdaMaxOfTheDesignGram() {
        int n = 12;
        int d = 4;
        Matrix x = gaussian(n, d, 1);
        Matrix y = gaussian(n, 1, 2);
        try (Network net = Network.initialize(NetworkSpec.standard(d, new int[0], 1, Activations.LINEAR), 3)) {
            Matrix a = TheoryFixtures.withOnes(x);
            double[] ev = Lapack.symmetricEigenvalues(Blas.multiply(a, true, a, false));
            double exact = ev[ev.length - 1] / n; // Hessian of (1/(2n))‖Aθ − y‖² is AᵀA/n
            Smoothness.Estimate e = Smoothness.largestEigenvalue(net, x, y, Loss.MSE);
            assertEquals(exact, e.beta(), 1e-10 * exact);
            assertEquals(d + 1, e.dimension());
            assertTrue(e.residual() < 1e-7 * exact, "residual " + e.residual());
        }
    }

    /** Against the explicit Hessian (columns H·e_j) restricted to the trained last layer of a tanh net. */
    @Test
    void matchesTheExplicitHessianOverTrainedLayersOnly() {
        int n = 6;
        Matrix x = gaussian(n, 3, 4);
        Matrix y = gaussian(n, 2, 5);
        NetworkSpec spec = NetworkSpec.standard(3, new int[] {5}, 2, Activations.TANH)
                .withTrainable(TrainableLayers.parse("0"));
        try (Network net = Network.initialize(spec, 6)) {
            int off = (int) net.layerOffset(0);
            int p = (int) net.layerLength(0);
            Matrix h = Matrix.zeros(p, p);
            Matrix e = net.newParameterVector();
            Matrix col = net.newParameterVector();
            for (int j = 0; j < p; j++) {
                e.fill(0.0);
                e.setAt(off + j, 1.0);
                HessianVector.apply(net, x, Loss.MSE.bind(y), e, col);
                for (int i = 0; i < p; i++) {
                    h.set(i, j, col.at(off + i)); // column j = H·e_j
                }
            }
            Matrix hs = Matrix.zeros(p, p); // (H + Hᵀ)/2 against rounding asymmetry
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    hs.set(i, j, 0.5 * (h.get(i, j) + h.get(j, i)));
                }
            }
            double[] ev = Lapack.symmetricEigenvalues(hs);
            Smoothness.Estimate est = Smoothness.largestEigenvalue(net, x, y, Loss.MSE);
            assertEquals(p, est.dimension(), "only layer 0's parameters are coordinates");
            assertEquals(ev[p - 1], est.beta(), 1e-8 * Math.abs(ev[p - 1]));
        }
    }
}
