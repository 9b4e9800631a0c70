package org.overparam.theory;

import org.overparam.linalg.Matrix;
import org.overparam.nn.Model;
import org.overparam.train.Loss;

/** L(w) and ∇L(w) over the trained parameters (frozen blocks of the gradient are 0), at the net's weights. */
final class Objective {
    private Objective() {
    }

    /** Writes ∇L into {@code grad} (parameter layout) and returns L. */
    static double lossAndGradient(Model net, Matrix x, Matrix y, Loss loss, Matrix grad) {
        grad.fill(0.0);
        int k = net.outputSize();
        try (Model.Pass ws = net.pass(x.rows()); Matrix d = Matrix.zeros(x.rows(), k)) {
            Matrix out = ws.forward(x);
            double value = loss.gradient(out, y, d);
            ws.backward(x, d, grad, 1.0, 0.0);
            return value;
        }
    }

    static double loss(Model net, Matrix x, Matrix y, Loss loss) {
        try (Matrix out = net.predict(x)) {
            return loss.value(out, y);
        }
    }
}
