package org.overparam.nn;

/**
 * The shape of one sample between layers: an image of {@code channels} × {@code height} × {@code width}
 * (PyTorch's (C, H, W), stored row-major in that order), or a flat vector of {@code channels} values
 * ({@code image == false}, height = width = 1).
 */
public record Shape(int channels, int height, int width, boolean image) implements java.io.Serializable {
    public static Shape flat(int size) {
        return new Shape(size, 1, 1, false);
    }

    public static Shape image(int channels, int height, int width) {
        return new Shape(channels, height, width, true);
    }

    /** Values per sample. */
    public int size() {
        return Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    /** Pixels per channel (1 for a flat vector). */
    public int pixels() {
        return height * width;
    }

    @Override
    public String toString() {
        return image ? channels + "x" + height + "x" + width : Integer.toString(channels);
    }
}
