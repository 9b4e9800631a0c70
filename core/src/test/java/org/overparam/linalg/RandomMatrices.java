package org.overparam.linalg;

import java.util.SplittableRandom;

/**
 * The tests' one Gaussian-matrix helper. It lives beside Matrix because every package's tests may use it without
 * pointing a dependency upwards (it was EmpiricalNtkTest.gaussian, which nn, train and memorization tests could not
 * reach). Its stream is fixed: SplittableRandom(seed).nextGaussian() in row-major order, the same values the
 * per-test copies it replaced drew, so their seeds still give the data their tolerances were set on.
 */
public final class RandomMatrices {
    private RandomMatrices() {
    }

    /** rows × cols, entries i.i.d. N(0, 1) from SplittableRandom(seed), row-major. */
    public static Matrix gaussian(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix m = Matrix.zeros(rows, cols);
        for (int i = 0; i < m.size(); i++) {
            m.setAt(i, rng.nextGaussian());
        }
        return m;
    }
}
