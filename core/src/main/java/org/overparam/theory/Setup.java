package org.overparam.theory;

import java.util.BitSet;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Model;
import org.overparam.nn.Network;
import org.overparam.train.Loss;

/**
 * The input of every {@link TheoremCheck}: a network at given weights (its trainable layers are the
 * parameters θ every derivative, Jacobian and Hessian is taken in), training inputs x (n × d), labels y
 * (n × k for mse) and the training loss. Losses use the project's normalizations (mse = (1/(2n))Σ‖h − y‖²).
 */
public record Setup(Model net, Matrix x, Matrix y, Loss loss) {
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
        return net.outputSize();
    }

    /** The trained layers (every block of an --arch network). */
    public BitSet trainedLayers() {
        if (net instanceof Network n) {
            return n.spec().trainableSet();
        }
        BitSet all = new BitSet();
        all.set(0, net.layers());
        return all;
    }

    /** True for a fully connected {@link Network} (the setting of the checks stated for those only). */
    public boolean fullyConnected() {
        return net instanceof Network;
    }

    /**
     * The fully connected network, for a check stated for those only; {@link TheoremCheck#generalNetworks()} keeps
     * any other from reaching here.
     */
    public Network dense() {
        if (net instanceof Network n) {
            return n;
        }
        throw new IllegalStateException("a check stated for fully connected networks ran on " + net.describe());
    }
}
