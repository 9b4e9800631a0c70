package org.overparam.theory;

import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.nn.Workspace;
import org.overparam.train.Loss;

/** L(w) and ∇L(w) over the trained parameters (frozen blocks of the gradient are 0), at the net's weights. */
final class Objective {
    private Objective() {
    }

    /** Writes ∇L into {@code grad} (parameter layout) and returns L. */
    static double lossAndGradient(Network net, Matrix x, Matrix y, Loss loss, Matrix grad) {
        grad.fill(0.0);
        int k = net.widths()[net.layers()];
        try (Workspace ws = net.workspace(x.rows()); Matrix d = Matrix.zeros(x.rows(), k)) {
            Matrix out = net.forward(x, ws);
            double value = loss.gradient(out, y, d);
            net.backward(x, ws, d, grad, 1.0, 0.0);
            return value;
        }
    }

    static double loss(Network net, Matrix x, Matrix y, Loss loss) {
        try (Matrix out = net.predict(x)) {
            return loss.value(out, y);
        }
    }
}
