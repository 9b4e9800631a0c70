package org.overparam.theory;

import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.List;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;

final class TheoryFixtures {
    private TheoryFixtures() {
    }

    /** n rows uniform on the unit sphere S^{d-1} (Gaussian rows normalized). */
    static Matrix sphere(int n, int d, long seed) {
        Matrix m = gaussian(n, d, seed);
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < d; j++) {
                sq += m.get(i, j) * m.get(i, j);
            }
            for (int j = 0; j < d; j++) {
                m.set(i, j, m.get(i, j) / Math.sqrt(sq));
            }
        }
        return m;
    }

    /** [X 1]: the Jacobian of a standard-parameterized linear layer with bias, per output. */
    static Matrix withOnes(Matrix x) {
        Matrix a = Matrix.zeros(x.rows(), x.cols() + 1);
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                a.set(i, j, x.get(i, j));
            }
            a.set(i, x.cols(), 1.0);
        }
        return a;
    }

    /** A linear model h = W x without bias (standard parameterization: J = X per output). */
    static NetworkSpec linearNoBias(int d, int k) {
        return new NetworkSpec(d, new int[0], k, List.of(Activations.LINEAR), Parameterization.STANDARD, 1.0, 0.0,
                false, TrainableLayers.ALL);
    }
}
