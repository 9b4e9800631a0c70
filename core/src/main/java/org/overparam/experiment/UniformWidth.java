package org.overparam.experiment;

import org.overparam.InputError;

/**
 * The uniform hidden width w that gives a fully connected network of {@code depth} hidden layers, input
 * dimension d and k outputs a parameter count closest to a target, and that count:
 * P(w) = d·w + (depth − 1)·w² + w·k + [bias] (depth·w + k). P grows with w, so the nearest integer to the
 * real root of P(w) = target is the closest width (ties go to the smaller one).
 */
public record UniformWidth(int width, long parameters) {
    /** Widths above this are refused as absurd (a single layer would hold ~10^12 weights). */
    static final int MAX_WIDTH = 1 << 20;

    public static long parameters(int d, int k, int depth, long w, boolean bias) {
        long p = (long) d * w + (depth - 1L) * w * w + w * k;
        return bias ? p + depth * w + k : p;
    }

    public static UniformWidth forParameters(int d, int k, int depth, long target, boolean bias) {
        if (depth < 1 || d < 1 || k < 1) {
            throw new IllegalArgumentException("depth, d and k must be positive");
        }
        long smallest = parameters(d, k, depth, 1, bias);
        if (target < smallest) {
            throw new InputError("--params " + target + " is below the " + smallest + " parameters of depth " + depth
                    + " at width 1 (d = " + d + ", k = " + k + "); give larger counts");
        }
        double a = depth - 1;
        double b = d + k + (bias ? depth : 0);
        double c = bias ? k : 0;
        double root = a == 0 ? (target - c) / b : (-b + Math.sqrt(b * b + 4 * a * (target - c))) / (2 * a);
        if (root > MAX_WIDTH) {
            throw new InputError("--params " + target + " needs width ~" + Math.round(root) + " at depth " + depth
                    + "; give counts below " + parameters(d, k, depth, MAX_WIDTH, bias));
        }
        long lo = Math.max(1, (long) Math.floor(root));
        long best = Math.max(1, lo - 1);
        for (long w = best + 1; w <= lo + 2; w++) {
            if (Math.abs(parameters(d, k, depth, w, bias) - target) < Math.abs(parameters(d, k, depth, best, bias) - target)) {
                best = w;
            }
        }
        return new UniformWidth((int) best, parameters(d, k, depth, best, bias));
    }

    /** The --hidden string: the width repeated depth times. */
    public String hidden(int depth) {
        return String.join(",", java.util.Collections.nCopies(depth, Integer.toString(width)));
    }
}
