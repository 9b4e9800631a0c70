package org.overparam.data;

import java.util.Arrays;

import org.overparam.InputError;
import org.overparam.io.NdArray;

/**
 * A supervised data set: inputs {@code x} of shape (n, d) in C order, and labels {@code y} of shape
 * (n,) (class indices, ±1 signs or scalar targets) or (n, k) (vector targets), or null when unlabeled.
 * The constructor validates what every experiment silently relies on — rank, matching row counts and
 * finite values — so that a bad file fails here with a clear message rather than as a NaN loss later.
 *
 * @param x           inputs, shape (n, d)
 * @param y           labels, shape (n,) or (n, k), or null
 * @param description where the data came from, for logs and summary.json
 */
public record Dataset(NdArray x, NdArray y, String description) {

    public Dataset {
        if (x == null) {
            throw new InputError("data set '" + description + "' has no inputs; load or generate x first");
        }
        if (x.rank() != 2) {
            throw new InputError("data must be a matrix (n rows × d features) but has shape "
                    + Arrays.toString(x.shape()) + "; flatten each example to one row");
        }
        int n = x.dim(0);
        if (y != null) {
            if (y.rank() != 1 && y.rank() != 2) {
                throw new InputError("labels must have shape (n,) or (n, k) but have shape "
                        + Arrays.toString(y.shape()) + "; reshape them");
            }
            if (y.dim(0) != n) {
                throw new InputError("data has " + n + " rows but labels have " + y.dim(0)
                        + " — give one label per row (check that x and y come from the same split)");
            }
        }
        checkFinite(x, "data");
        if (y != null) {
            checkFinite(y, "labels");
        }
        description = description == null ? "" : description;
    }

    /** An unlabeled data set. */
    public static Dataset unlabeled(NdArray x, String description) {
        return new Dataset(x, null, description);
    }

    /** Number of examples (rows). */
    public int n() {
        return x.dim(0);
    }

    /** Number of features (columns). */
    public int d() {
        return x.dim(1);
    }

    /** Whether labels are present. */
    public boolean labeled() {
        return y != null;
    }

    /** Row {@code i} of x as a fresh array. */
    public double[] row(int i) {
        int d = d();
        return Arrays.copyOfRange(x.data(), i * d, (i + 1) * d);
    }

    /** The same data with a new description. */
    public Dataset describedAs(String newDescription) {
        return new Dataset(x, y, newDescription);
    }

    private static void checkFinite(NdArray a, String what) {
        double[] v = a.data();
        int cols = a.rank() == 2 ? a.dim(1) : 1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                String where = a.rank() == 2 ? "[" + (i / cols) + ", " + (i % cols) + "]" : "[" + i + "]";
                throw new InputError(what + " contains " + v[i] + " at index " + where
                        + "; clean the data (no NaN or infinite values)");
            }
        }
    }
}
