package org.overparam.theory;

import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;

/** The trained layers' blocks of the flat parameter vector, packed contiguously (P_trained × 1). */
final class TrainedCoordinates {
    private final long[] offsets;
    private final int[] lengths;
    private final int dimension;

    TrainedCoordinates(Network net) {
        int count = 0;
        for (int l = 0; l < net.layers(); l++) {
            count += net.isTrainable(l) ? 1 : 0;
        }
        offsets = new long[count];
        lengths = new int[count];
        int i = 0;
        long p = 0;
        for (int l = 0; l < net.layers(); l++) {
            if (net.isTrainable(l)) {
                offsets[i] = net.layerOffset(l);
                lengths[i] = (int) net.layerLength(l);
                p += lengths[i];
                i++;
            }
        }
        if (p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many trained parameters: " + p);
        }
        dimension = (int) p;
    }

    int dimension() {
        return dimension;
    }

    /** compact ← the trained blocks of full. */
    void pack(Matrix full, Matrix compact) {
        long at = 0;
        for (int i = 0; i < offsets.length; i++) {
            Matrix.view(compact.pointer(), at, lengths[i], 1)
                    .copyFrom(Matrix.view(full.pointer(), offsets[i], lengths[i], 1));
            at += lengths[i];
        }
    }

    /** full ← 0 with the trained blocks taken from compact. */
    void unpack(Matrix compact, Matrix full) {
        full.fill(0.0);
        long at = 0;
        for (int i = 0; i < offsets.length; i++) {
            Matrix.view(full.pointer(), offsets[i], lengths[i], 1)
                    .copyFrom(Matrix.view(compact.pointer(), at, lengths[i], 1));
            at += lengths[i];
        }
    }
}
