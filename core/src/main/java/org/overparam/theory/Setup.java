package org.overparam.theory;

import java.util.BitSet;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.train.Loss;

/**
 * The input of every {@link TheoremCheck}: a network at given weights (its trainable layers are the
 * parameters θ every derivative, Jacobian and Hessian is taken in), training inputs x (n × d), labels y
 * (n × k for mse) and the training loss. Losses use the project's normalizations (mse = (1/(2n))Σ‖h − y‖²).
 */
public record Setup(Network net, Matrix x, Matrix y, Loss loss) {
    public Setup {
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows but y has " + y.rows());
        }
    }

    /** n, the number of training points. */
    public int n() {
        return x.rows();
    }

    /** k, the number of network outputs. */
    public int k() {
        return net.widths()[net.layers()];
    }

    /** The trained layers. */
    public BitSet trainedLayers() {
        return net.spec().trainableSet();
    }
}
