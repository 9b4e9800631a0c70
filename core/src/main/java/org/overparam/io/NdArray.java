package org.overparam.io;

import java.util.Arrays;

import org.overparam.InputError;

/**
 * An n-dimensional array of doubles in C (row-major) order: the one currency that every reader in
 * this package returns and every writer accepts. On-disk dtypes (uint8 pixels, float32 weights, ...)
 * are widened to double on read, so callers never branch on a dtype. Every integer up to 2^53 is exact
 * in a double, which covers every label and pixel format we read; int64/uint64 values beyond that are
 * rounded (documented, never silently wrapped).
 *
 * <p>The record is "immutable-ish": the arrays are not copied on construction (the data can be tens of
 * MB), so callers must not mutate arrays they have handed over. {@link #shape()} returns a copy.
 *
 * @param shape the dimensions; {@code []} is a scalar (size 1)
 * @param data  the values in C order, {@code data.length == product(shape)}
 */
public record NdArray(int[] shape, double[] data) {

    public NdArray {
        if (shape == null || data == null) {
            throw new InputError("array shape and data must both be given; this is a bug in the caller");
        }
        for (int s : shape) {
            if (s < 0) {
                throw new InputError("array shape " + Arrays.toString(shape)
                        + " has a negative dimension; dimensions must be >= 0");
            }
        }
        long n = product(shape);
        if (n != data.length) {
            throw new InputError("array shape " + Arrays.toString(shape) + " needs " + n
                    + " values but " + data.length + " were given; fix the shape or the data");
        }
    }

    /** Builds an array, validating that {@code product(shape) == data.length}. */
    public static NdArray of(double[] data, int... shape) {
        return new NdArray(shape.clone(), data);
    }

    /** A rank-1 array holding {@code data}. */
    public static NdArray vector(double... data) {
        return new NdArray(new int[] {data.length}, data);
    }

    /** A copy of the shape (the record's own array is never exposed for mutation). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Dimension {@code i} (negative counts from the end, as in numpy). */
    public int dim(int i) {
        int k = i < 0 ? shape.length + i : i;
        if (k < 0 || k >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + i + " of a rank-" + shape.length + " array");
        }
        return shape[k];
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The element at a full multi-index (C order). */
    public double get(int... idx) {
        return data[flatIndex(idx)];
    }

    /** The flat C-order offset of a full multi-index. */
    public int flatIndex(int... idx) {
        if (idx.length != shape.length) {
            throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " for a rank-"
                    + shape.length + " array");
        }
        int off = 0;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " outside shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[i] + idx[i];
        }
        return off;
    }

    /**
     * The same data viewed with another shape (shares the data array). One dimension may be -1, as in
     * numpy, and is inferred.
     */
    public NdArray reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && infer < 0) {
                infer = i;
            } else {
                if (s[i] < 0) {
                    throw new InputError("cannot reshape " + Arrays.toString(shape) + " to "
                            + Arrays.toString(newShape) + ": negative dimension; use at most one -1");
                }
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new InputError("cannot reshape " + Arrays.toString(shape) + " (" + data.length
                        + " values) to " + Arrays.toString(newShape) + "; pick compatible dimensions");
            }
            s[infer] = (int) (data.length / known);
        }
        if (product(s) != data.length) {
            throw new InputError("cannot reshape " + Arrays.toString(shape) + " (" + data.length
                    + " values) to " + Arrays.toString(newShape) + "; pick compatible dimensions");
        }
        return new NdArray(s, data);
    }

    /** A copy of the values (C order). */
    public double[] toArray() {
        return data.clone();
    }

    /** Product of dimensions as a long (no overflow for int dims up to rank 2; saturates otherwise). */
    public static long product(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n = multiplySaturating(n, s);
        }
        return n;
    }

    static long multiplySaturating(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        return Long.MAX_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray other && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        int show = Math.min(data.length, 8);
        StringBuilder sb = new StringBuilder("NdArray(shape=").append(Arrays.toString(shape)).append(", data=[");
        for (int i = 0; i < show; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > show ? ", ...])" : "])").toString();
    }
}
