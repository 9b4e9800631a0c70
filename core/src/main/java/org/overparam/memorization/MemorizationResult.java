package org.overparam.memorization;

import org.overparam.nn.Network;

/**
 * A network built to interpolate n labelled points, and how well it does in float64.
 *
 * @param construction   "zhang" or "yun"
 * @param network        a standard-parameterized ReLU network (biases everywhere, no activation after the last layer)
 * @param n              samples (rows of the data, duplicates included)
 * @param maxError       max_i max_c |f(x_i)_c − y_ic|, measured with the network's own forward pass
 * @param relativeError  maxError / max_ic |y_ic| (maxError itself when every label is 0)
 * @param freeWeights    the real numbers the construction actually chooses (see each construction's javadoc)
 * @param storedNumbers  the numbers the network stores: every weight and bias of every layer
 */
public record MemorizationResult(String construction, Network network, int n, double maxError, double relativeError,
        long freeWeights, long storedNumbers) {

    /** Hidden widths of the network, e.g. [29, 28]. */
    public int[] hidden() {
        return network.spec().hidden();
    }
}
