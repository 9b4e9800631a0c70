package org.overparam.experiment;

import java.util.function.IntPredicate;

/**
 * Finds the smallest width at which a training run succeeds. Behind an interface so the geometric grid of
 * {@link GeometricWidthSearch} can be swapped for a bisection search without touching {@link PolylogRun}.
 */
public interface WidthSearch {
    /** The smallest width the search accepts at which {@code succeeds} holds, or −1 when none up to its cap does. */
    int search(IntPredicate succeeds);
}
