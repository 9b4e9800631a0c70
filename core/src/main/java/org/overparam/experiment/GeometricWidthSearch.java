package org.overparam.experiment;

import java.util.function.IntPredicate;
import org.overparam.InputError;

/**
 * Tries m = start, start·q, start·q², … (rounded, strictly increasing) up to max and returns the first width that
 * succeeds — the width GD needed, to within one grid factor q (success need not be monotone in m; this is the
 * first success on the grid).
 */
public record GeometricWidthSearch(int start, double factor, int max) implements WidthSearch {
    public GeometricWidthSearch {
        if (start < 1 || !(factor > 1) || max < start) {
            throw new InputError("width search needs start >= 1, factor > 1 and max >= start; got " + start + ", "
                    + factor + ", " + max);
        }
    }

    @Override
    public int search(IntPredicate succeeds) {
        double m = start;
        int previous = 0;
        while (Math.round(m) <= max) {
            int w = (int) Math.max(previous + 1, Math.round(m));
            if (succeeds.test(w)) {
                return w;
            }
            previous = w;
            m *= factor;
        }
        return -1;
    }
}
