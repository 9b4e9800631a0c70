package org.overparam.experiment;

import org.overparam.linalg.Matrix;

/**
 * Training (and optional test) data as off-heap matrices: x is n × d, y is n × c (c = 1 for 1-D labels); {@code image}
 * is the (C, H, W) shape of one example when the data are images (each row then holds C·H·W values in that order),
 * or null.
 */
public record LoadedData(Matrix x, Matrix y, Matrix testX, Matrix testY, String description, int[] image) {
    public LoadedData(Matrix x, Matrix y, Matrix testX, Matrix testY, String description) {
        this(x, y, testX, testY, description, null);
    }

    /** The shape of one example: the image shape, or a vector of d features. */
    public org.overparam.nn.Shape shape() {
        return image == null ? org.overparam.nn.Shape.flat(x.cols())
                : org.overparam.nn.Shape.image(image[0], image[1], image[2]);
    }
}
