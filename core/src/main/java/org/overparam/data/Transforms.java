package org.overparam.data;

import java.util.SplittableRandom;

import org.overparam.InputError;
import org.overparam.io.NdArray;

/**
 * The randomization tests of Zhang, Bengio, Hardt, Recht and Vinyals (2017), "Understanding deep
 * learning requires rethinking generalization" (ICLR), §2: the same network fits true labels, random
 * labels, shuffled pixels, random pixels and Gaussian noise. Each transform is a library call that
 * returns a new {@link Dataset} (the input is not modified) and is deterministic given its seed
 * ({@link SplittableRandom}).
 */
public final class Transforms {

    private Transforms() {
    }

    /**
     * Corrupts labels: exactly round(p·n) rows, chosen uniformly at random without replacement, get a
     * label drawn uniformly from 0..classes−1 — which may coincide with the original, as in the paper.
     * (The paper corrupts each label independently with probability p; choosing an exact count has the
     * same expectation and makes the corrupted fraction reproducible.) p = 1 gives the paper's "random
     * labels" experiment. Labels must be class indices of shape (n,).
     */
    public static Dataset corruptLabels(Dataset ds, double p, int classes, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new InputError("label corruption fraction must be in [0, 1], got " + p);
        }
        if (classes < 1) {
            throw new InputError("number of classes must be at least 1, got " + classes);
        }
        // ±1 labels (binary theorems: Du et al., Arora et al.) are corrupted to uniform ±1; class indices to 0..k-1
        boolean plusMinus = ds.y() != null && ds.y().rank() == 1 && ds.y().size() > 0
                && java.util.Arrays.stream(ds.y().data()).allMatch(v -> v == -1 || v == 1);
        NdArray y = plusMinus ? ds.y() : classLabels(ds, "corrupt labels");
        int n = ds.n();
        int k = (int) Math.round(p * n);
        SplittableRandom r = Synthetic.rng(seed, "corruptLabels");
        int[] perm = permutation(n, r);
        double[] out = y.toArray();
        for (int i = 0; i < k; i++) {
            out[perm[i]] = plusMinus ? 2 * r.nextInt(2) - 1 : r.nextInt(classes);
        }
        return new Dataset(ds.x(), NdArray.of(out, n), ds.description() + " | corruptLabels(p=" + p + ",classes="
                + (plusMinus ? "+-1" : Integer.toString(classes)) + ",seed=" + seed + ")");
    }

    /** Applies one random permutation to the columns (pixels) of every row: "shuffled pixels". */
    public static Dataset shufflePixels(Dataset ds, long seed) {
        int n = ds.n();
        int d = ds.d();
        int[] perm = permutation(d, Synthetic.rng(seed, "shufflePixels"));
        double[] x = ds.x().data();
        double[] out = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = x[i * d + perm[j]];
            }
        }
        return new Dataset(NdArray.of(out, n, d), ds.y(), ds.description() + " | shufflePixels(seed=" + seed + ")");
    }

    /** Applies an independent random permutation to each row: "random pixels". */
    public static Dataset randomPixels(Dataset ds, long seed) {
        int n = ds.n();
        int d = ds.d();
        SplittableRandom r = Synthetic.rng(seed, "randomPixels");
        double[] x = ds.x().data();
        double[] out = new double[x.length];
        for (int i = 0; i < n; i++) {
            int[] perm = permutation(d, r);
            for (int j = 0; j < d; j++) {
                out[i * d + j] = x[i * d + perm[j]];
            }
        }
        return new Dataset(NdArray.of(out, n, d), ds.y(), ds.description() + " | randomPixels(seed=" + seed + ")");
    }

    /**
     * Replaces the inputs by i.i.d. Gaussians N(μ, σ²) where μ and σ² are the scalar mean and variance of
     * all entries of x ("a Gaussian distribution with matching mean and variance to the original
     * dataset", Zhang et al. §2). Per-feature statistics are deliberately not used: they would leak the
     * image structure that this experiment removes. Labels are kept.
     */
    public static Dataset gaussianInputs(Dataset ds, long seed) {
        double[] x = ds.x().data();
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double sd = Math.sqrt(var);
        SplittableRandom r = Synthetic.rng(seed, "gaussianInputs");
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = mean + sd * Synthetic.gaussian(r);
        }
        return new Dataset(NdArray.of(out, ds.n(), ds.d()), ds.y(),
                ds.description() + " | gaussianInputs(seed=" + seed + ")");
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The labels as class indices of shape (n,), or an InputError saying why they are not. */
    static NdArray classLabels(Dataset ds, String operation) {
        NdArray y = ds.y();
        if (y == null || y.rank() != 1) {
            throw new InputError("cannot " + operation + ": needs class labels of shape (n,) but the data "
                    + (y == null ? "is unlabeled" : "has labels of shape (" + y.dim(0) + ", " + y.dim(1) + ")")
                    + "; use a labeled classification data set");
        }
        for (int i = 0; i < y.size(); i++) {
            double v = y.data()[i];
            if (v < 0 || v != Math.rint(v)) {
                throw new InputError("cannot " + operation + ": label " + v + " at index " + i
                        + " is not a class index 0, 1, 2, ...; use integer class labels");
            }
        }
        return y;
    }
}
