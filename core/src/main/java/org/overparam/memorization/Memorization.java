package org.overparam.memorization;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;

/**
 * What the two constructions share: checking the data (finite, distinct inputs), projecting the inputs on
 * one direction with well separated projections, rescaling labels, and measuring the fit.
 */
public final class Memorization {
    private Memorization() {
    }

    /** Candidate directions tried when choosing the projection. */
    static final int CANDIDATES = 8;

    /** Data reduced to distinct inputs: rows of x (n × d) and y (n × k) as arrays. */
    record Points(double[][] x, double[][] y) {
        int n() {
            return x.length;
        }

        int d() {
            return x[0].length;
        }

        int k() {
            return y[0].length;
        }
    }

    /**
     * Checks the data and drops repeated (input, label) pairs; the same input with different labels cannot
     * be fit by any function and is an {@link InputError}.
     */
    static Points distinct(Matrix x, Matrix y) {
        if (x.rows() == 0) {
            throw new InputError("no samples to memorize (n = 0)");
        }
        if (y.rows() != x.rows()) {
            throw new InputError(x.rows() + " inputs but " + y.rows() + " labels; give one label row per input");
        }
        double[][] xs = x.toRows();
        double[][] ys = y.toRows();
        Map<Key, Integer> seen = new HashMap<>();
        int[] keep = new int[xs.length];
        int kept = 0;
        for (int i = 0; i < xs.length; i++) {
            for (double v : xs[i]) {
                if (!Double.isFinite(v)) {
                    throw new InputError("input row " + i + " holds a non-finite value (" + v + "); clean the data first");
                }
            }
            for (double v : ys[i]) {
                if (!Double.isFinite(v)) {
                    throw new InputError("label row " + i + " holds a non-finite value (" + v + ")");
                }
            }
            Integer first = seen.putIfAbsent(new Key(xs[i]), i);
            if (first == null) {
                keep[kept++] = i;
            } else if (!Arrays.equals(ys[first], ys[i])) {
                throw new InputError("inputs " + first + " and " + i + " are identical but their labels differ ("
                        + Arrays.toString(ys[first]) + " vs " + Arrays.toString(ys[i])
                        + "); no function fits them, remove one of the two");
            }
        }
        double[][] px = new double[kept][];
        double[][] py = new double[kept][];
        for (int j = 0; j < kept; j++) {
            px[j] = xs[keep[j]];
            py[j] = ys[keep[j]];
        }
        return new Points(px, py);
    }

    private record Key(double[] row) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(k.row, row);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(row);
        }
    }

    /**
     * A projection z_i = aᵀx_i with distinct values, rescaled so that max z − min z = 1: of
     * {@link #CANDIDATES} Gaussian directions (seeded), the one whose smallest gap between sorted
     * projections, relative to their range, is largest. Distinct inputs have distinct projections on a
     * Gaussian direction with probability 1 (the hyperplanes {a : aᵀ(x_i − x_j) = 0} have measure zero).
     */
    record Projection(double[] a, double[] z, int[] order) {
        /** Sorted projections z_(1) < … < z_(n). */
        double[] sorted() {
            double[] s = new double[order.length];
            for (int r = 0; r < order.length; r++) {
                s[r] = z[order[r]];
            }
            return s;
        }
    }

    static Projection project(Points p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Projection best = null;
        double bestGap = -1;
        for (int c = 0; c < CANDIDATES; c++) {
            double[] a = new double[p.d()];
            for (int j = 0; j < a.length; j++) {
                a[j] = rng.nextGaussian();
            }
            double[] z = dots(p.x(), a);
            double min = Arrays.stream(z).min().getAsDouble();
            double max = Arrays.stream(z).max().getAsDouble();
            double range = max - min;
            if (p.n() == 1) {
                range = 1.0;
            }
            if (!(range > 0)) {
                continue;
            }
            for (int j = 0; j < a.length; j++) {
                a[j] /= range;
            }
            z = dots(p.x(), a);
            int[] order = sortedOrder(z);
            double gap = Double.POSITIVE_INFINITY;
            for (int r = 1; r < order.length; r++) {
                gap = Math.min(gap, z[order[r]] - z[order[r - 1]]);
            }
            if (gap > bestGap) {
                bestGap = gap;
                best = new Projection(a, z, order);
            }
        }
        // The fit is exact in exact arithmetic for any positive gap; below ~1e-12 of the range the float64
        // pre-activations cannot tell the points apart reliably.
        if (best == null || !(bestGap > 1e-12)) {
            throw new InputError("the inputs are distinct but too close to be separated in float64 by a projection"
                    + " (smallest relative gap " + Math.max(bestGap, 0) + "); rescale or deduplicate the data");
        }
        return best;
    }

    private static double[] dots(double[][] x, double[] a) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int j = 0; j < a.length; j++) {
                s += a[j] * x[i][j];
            }
            z[i] = s;
        }
        return z;
    }

    private static int[] sortedOrder(double[] z) {
        Integer[] idx = new Integer[z.length];
        for (int i = 0; i < z.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (i, j) -> Double.compare(z[i], z[j]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Per output column c: the centre m_c and half-range h_c with (y − m_c)/h_c ∈ [−1, 1] (h_c = 1 for a
     * constant column). The constructions fit the rescaled labels; the output layer multiplies by h_c and
     * adds m_c.
     */
    static double[][] scaling(double[][] y) {
        int k = y[0].length;
        double[] centre = new double[k];
        double[] half = new double[k];
        for (int c = 0; c < k; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] row : y) {
                lo = Math.min(lo, row[c]);
                hi = Math.max(hi, row[c]);
            }
            centre[c] = 0.5 * (lo + hi);
            half[c] = hi > lo ? 0.5 * (hi - lo) : 1.0;
        }
        return new double[][] {centre, half};
    }

    /** A standard-form ReLU network with the given layers (row-major out × in weights, biases). */
    static Network network(int d, int[] hidden, int k, double[][][] weights, double[][] biases) {
        NetworkSpec spec = NetworkSpec.standard(d, hidden, k, Activations.RELU);
        java.util.List<Matrix> ws = new java.util.ArrayList<>();
        java.util.List<Matrix> bs = new java.util.ArrayList<>();
        try {
            for (int l = 0; l < weights.length; l++) {
                ws.add(Matrix.ofRows(weights[l]));
                bs.add(Matrix.of(1, biases[l].length, biases[l]));
            }
            return Network.fromWeights(spec, ws, bs);
        } finally {
            ws.forEach(Matrix::close);
            bs.forEach(Matrix::close);
        }
    }

    /** Evaluates the network on every sample (duplicates included) and packs the result. */
    static MemorizationResult measure(String construction, Network net, Matrix x, Matrix y, long free) {
        double[] err = errors(net, x, y);
        return new MemorizationResult(construction, net, x.rows(), err[0], err[1], free, net.parameterCount());
    }

    /** {max_ic |f(x_i)_c − y_ic|, that divided by max |y|} with the network's forward pass. */
    public static double[] errors(Network net, Matrix x, Matrix y) {
        double max = 0;
        double scale = 0;
        try (Matrix f = net.predict(x)) {
            for (int i = 0; i < y.rows(); i++) {
                for (int c = 0; c < y.cols(); c++) {
                    max = Math.max(max, Math.abs(f.get(i, c) - y.get(i, c)));
                    scale = Math.max(scale, Math.abs(y.get(i, c)));
                }
            }
        }
        return new double[] {max, scale > 0 ? max / scale : max};
    }

    /** Integer class labels 0..K−1 (n × 1) as one-hot rows n × K, K = max label + 1: one output per class. */
    public static Matrix oneHot(Matrix labels) {
        int n = labels.rows();
        int classes = 0;
        for (int i = 0; i < n; i++) {
            double v = labels.get(i, 0);
            if (labels.cols() != 1 || v < 0 || v != Math.rint(v) || v > 1 << 20) {
                throw new InputError("class labels must be integers 0..K-1 of shape (n,), got " + v + " at row " + i);
            }
            classes = Math.max(classes, (int) v + 1);
        }
        Matrix m = Matrix.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            m.set(i, (int) labels.get(i, 0), 1.0);
        }
        return m;
    }

    /** Builds a network by name: "zhang" or "yun". */
    public static MemorizationResult fit(String construction, Matrix x, Matrix y, long seed) {
        return switch (construction) {
            case "zhang" -> ZhangConstruction.fit(x, y, seed);
            case "yun" -> YunConstruction.fit(x, y, seed);
            default -> throw new InputError("unknown construction '" + construction + "'; use yun or zhang");
        };
    }
}
