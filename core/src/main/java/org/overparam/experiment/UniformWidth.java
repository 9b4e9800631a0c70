package org.overparam.experiment;

import java.util.function.LongUnaryOperator;
import org.overparam.InputError;

/**
 * The width w whose network has a parameter count closest to a target, and that count. For a fully connected
 * network of {@code depth} hidden layers of width w, input dimension d and k outputs,
 * P(w) = d·w + (depth − 1)·w² + w·k + [bias] (depth·w + k); for an {@code --arch} template the count of the
 * network at width m ({@link #closest}). P grows with w, so the closest width is found by bisection (ties go to the
 * smaller one).
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
        return closest(w -> parameters(d, k, depth, w, bias), target, "depth " + depth + " (d = " + d + ", k = " + k + ")");
    }

    /**
     * The width in 1…{@link #MAX_WIDTH} whose count {@code parametersAt(w)} (increasing in w) is closest to
     * {@code target}; an input error naming {@code what} when the target lies below width 1 or beyond the cap.
     */
    public static UniformWidth closest(LongUnaryOperator parametersAt, long target, String what) {
        long smallest = parametersAt.applyAsLong(1);
        if (target < smallest) {
            throw new InputError("--params " + target + " is below the " + smallest + " parameters of " + what
                    + " at width 1; give larger counts");
        }
        long largest = parametersAt.applyAsLong(MAX_WIDTH);
        if (target > largest) {
            throw new InputError("--params " + target + " needs a width above " + MAX_WIDTH + " for " + what
                    + "; give counts below " + largest);
        }
        int lo = 1;
        int hi = MAX_WIDTH; // the smallest width with P(w) >= target lies in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (parametersAt.applyAsLong(mid) >= target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        long at = parametersAt.applyAsLong(lo);
        if (lo > 1) {
            long below = parametersAt.applyAsLong(lo - 1);
            if (target - below <= at - target) {
                return new UniformWidth(lo - 1, below);
            }
        }
        return new UniformWidth(lo, at);
    }

    /** The --hidden string: the width repeated depth times. */
    public String hidden(int depth) {
        return String.join(",", java.util.Collections.nCopies(depth, Integer.toString(width)));
    }
}
