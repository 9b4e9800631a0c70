package org.overparam.data;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.overparam.InputError;
import org.overparam.io.NdArray;

/**
 * Standard preprocessing, each step returning a new {@link Dataset}: scaling pixels to [0, 1],
 * centring, projecting rows onto the unit sphere (the ‖x‖ = 1 assumption of the over-parameterization
 * theorems, e.g. Du et al. 2019), keeping a subset of classes, subsampling and splitting. Random steps
 * are deterministic given a seed ({@link SplittableRandom}).
 */
public final class Preprocess {

    /**
     * Two disjoint parts of a data set.
     *
     * @param train the training part
     * @param test  the held-out part
     */
    public record Split(Dataset train, Dataset test) {
    }

    private Preprocess() {
    }

    /** Divides every input by {@code scale} (e.g. 255 for 8-bit pixels). */
    public static Dataset scaleTo01(Dataset ds, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new InputError("scale must be a positive finite number, got " + scale);
        }
        double[] x = ds.x().toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] /= scale;
        }
        return new Dataset(NdArray.of(x, ds.n(), ds.d()), ds.y(), ds.description() + " | /" + fmt(scale));
    }

    /**
     * Scales 8-bit data to [0, 1]: divides by 255 — the maximum of the uint8 range the pixels came
     * from, not the data's own maximum, so all images share one scale — when the largest input exceeds
     * 1; data already in [0, 1] is returned unchanged.
     */
    public static Dataset scaleTo01(Dataset ds) {
        double max = Arrays.stream(ds.x().data()).max().orElse(0);
        return max > 1 ? scaleTo01(ds, 255) : ds;
    }

    /** Subtracts the per-feature (column) mean. */
    public static Dataset center(Dataset ds) {
        int n = ds.n();
        int d = ds.d();
        double[] x = ds.x().toArray();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] -= mean[j];
            }
        }
        return new Dataset(NdArray.of(x, n, d), ds.y(), ds.description() + " | center");
    }

    /** Scales each row to unit Euclidean norm; a zero row cannot be projected and is an InputError. */
    public static Dataset normalizeRows(Dataset ds) {
        int n = ds.n();
        int d = ds.d();
        double[] x = ds.x().toArray();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * x[i * d + j];
            }
            if (s == 0) {
                throw new InputError("row " + i + " is all zeros and cannot be normalized to the unit sphere; "
                        + "remove it or add a bias feature");
            }
            double inv = 1 / Math.sqrt(s);
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= inv;
            }
        }
        return new Dataset(NdArray.of(x, n, d), ds.y(), ds.description() + " | normalizeRows");
    }

    /**
     * Keeps the rows whose class label is in {@code classes} and relabels them 0..c−1 in the order
     * given: {@code classSubset(ds, new int[] {3, 5})} maps 3 → 0 and 5 → 1.
     */
    public static Dataset classSubset(Dataset ds, int[] classes) {
        NdArray y = Transforms.classLabels(ds, "select classes");
        if (classes.length == 0) {
            throw new InputError("no classes selected; name at least one class");
        }
        int max = Arrays.stream(classes).max().getAsInt();
        if (Arrays.stream(classes).min().getAsInt() < 0 || max > 1_000_000) {
            throw new InputError("class indices must be in 0..1000000, got " + Arrays.toString(classes));
        }
        int[] map = new int[max + 1];
        Arrays.fill(map, -1);
        for (int c = 0; c < classes.length; c++) {
            if (map[classes[c]] >= 0) {
                throw new InputError("class " + classes[c] + " is listed twice in " + Arrays.toString(classes)
                        + "; list each class once");
            }
            map[classes[c]] = c;
        }
        int n = ds.n();
        int d = ds.d();
        int keep = 0;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            int label = (int) y.data()[i];
            if (label <= max && map[label] >= 0) {
                rows[keep++] = i;
            }
        }
        if (keep == 0) {
            throw new InputError("no rows have a label in " + Arrays.toString(classes)
                    + "; check the class numbers against the data");
        }
        double[] x = new double[keep * d];
        double[] yy = new double[keep];
        for (int k = 0; k < keep; k++) {
            System.arraycopy(ds.x().data(), rows[k] * d, x, k * d, d);
            yy[k] = map[(int) y.data()[rows[k]]];
        }
        return new Dataset(NdArray.of(x, keep, d), NdArray.of(yy, keep),
                ds.description() + " | classes=" + Arrays.toString(classes));
    }

    /**
     * Keeps {@code n} rows: with {@code seed >= 0}, the first n of a seeded random permutation (in that
     * permuted order); with {@code seed < 0}, simply the first n rows in file order.
     */
    public static Dataset subsample(Dataset ds, int n, long seed) {
        if (n < 1 || n > ds.n()) {
            throw new InputError("cannot take " + n + " examples from a data set of " + ds.n()
                    + "; choose n between 1 and " + ds.n());
        }
        int[] rows = seed < 0 ? identity(ds.n()) : Transforms.permutation(ds.n(), Synthetic.rng(seed, "subsample"));
        return take(ds, rows, 0, n, ds.description() + " | n=" + n + (seed < 0 ? "" : ",seed=" + seed));
    }

    /** Splits off {@code nTest} random rows (seeded) as a test set; the rest, in permuted order, is train. */
    public static Split split(Dataset ds, int nTest, long seed) {
        if (nTest < 1 || nTest >= ds.n()) {
            throw new InputError("test set size must be between 1 and " + (ds.n() - 1) + " for " + ds.n()
                    + " examples, got " + nTest);
        }
        int[] perm = Transforms.permutation(ds.n(), Synthetic.rng(seed, "split"));
        Dataset test = take(ds, perm, 0, nTest, ds.description() + " | test(" + nTest + ",seed=" + seed + ")");
        Dataset train = take(ds, perm, nTest, ds.n() - nTest,
                ds.description() + " | train(" + (ds.n() - nTest) + ",seed=" + seed + ")");
        return new Split(train, test);
    }

    /** Splits off a fraction of the rows (rounded, at least 1 and at most n−1) as a test set. */
    public static Split split(Dataset ds, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new InputError("test fraction must be strictly between 0 and 1, got " + testFraction);
        }
        int nTest = (int) Math.max(1, Math.min(ds.n() - 1, Math.round(testFraction * ds.n())));
        return split(ds, nTest, seed);
    }

    static Dataset take(Dataset ds, int[] rows, int from, int count, String description) {
        int d = ds.d();
        double[] x = new double[count * d];
        for (int k = 0; k < count; k++) {
            System.arraycopy(ds.x().data(), rows[from + k] * d, x, k * d, d);
        }
        NdArray y = null;
        if (ds.y() != null) {
            int k = ds.y().rank() == 2 ? ds.y().dim(1) : 1;
            double[] yy = new double[count * k];
            for (int i = 0; i < count; i++) {
                System.arraycopy(ds.y().data(), rows[from + i] * k, yy, i * k, k);
            }
            y = ds.y().rank() == 2 ? NdArray.of(yy, count, k) : NdArray.of(yy, count);
        }
        return new Dataset(NdArray.of(x, count, d), y, description);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
