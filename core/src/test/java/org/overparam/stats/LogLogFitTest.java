package org.overparam.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogLogFitTest {
    /**
     * scipy 1.17.1: r = stats.linregress(np.log([4, 8, 16, 32, 64]), np.log([3, 5, 12, 19, 45])); the interval
     * r.slope ± stats.t.ppf(0.975, 3)·r.stderr.
     */
    @Test
    void matchesScipyLinregress() {
        LogLogFit f = LogLogFit.of(new double[] {4, 8, 16, 32, 64}, new double[] {3, 5, 12, 19, 45}, 0.95);
        assertEquals(5, f.points());
        assertEquals(0.9739780609773261, f.slope(), 1e-13);
        assertEquals(-0.3116289236093097, f.intercept(), 1e-13);
        assertEquals(0.05433791197103892, f.slopeSe(), 1e-13);
        assertEquals(0.9907489206624177, f.rSquared(), 1e-13);
        assertEquals(0.8010505737882619, f.ciLow(), 1e-11);
        assertEquals(1.1469055481663903, f.ciHigh(), 1e-11);
        assertTrue(f.covers(1.0));
        assertFalse(f.covers(1.5));
    }

    @Test
    void anExactPowerLawIsRecoveredWithAZeroWidthInterval() {
        double[] n = {8, 16, 32, 64};
        double[] m = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            m[i] = 3 * Math.pow(n[i], 1.5);
        }
        LogLogFit f = LogLogFit.of(n, m, 0.95);
        assertEquals(1.5, f.slope(), 1e-12);
        assertEquals(Math.log(3), f.intercept(), 1e-12);
        assertEquals(1.0, f.rSquared(), 1e-12);
        assertEquals(0.0, f.ciHigh() - f.ciLow(), 1e-10);
        assertEquals(3 * Math.pow(20, 1.5), f.predict(20), 1e-9);
    }

    @Test
    void twoPointsGiveASlopeButNoInterval() {
        LogLogFit f = LogLogFit.of(new double[] {2, 4}, new double[] {3, 12}, 0.95);
        assertEquals(2.0, f.slope(), 1e-12);
        assertTrue(Double.isNaN(f.ciLow()) && Double.isNaN(f.slopeSe()));
        assertFalse(f.covers(2.0));
    }

    /**
     * ln m = a + b ln n + N(0, 0.3²) at 5 points, 2000 seeds: the 95 % interval covers the true b in a
     * fraction of seeds whose binomial standard deviation is √(0.95·0.05/2000) ≈ 0.005; [0.93, 0.97] is ±4σ.
     * A wrong t quantile (e.g. the normal's 1.96 with 3 dof) covers ≈ 0.86 and fails.
     */
    @Test
    void theIntervalCoversTheTrueExponentInAboutNinetyFivePercentOfSeeds() {
        double[] n = {8, 16, 32, 64, 128};
        int covered = 0;
        int trials = 2000;
        for (int seed = 0; seed < trials; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] m = new double[n.length];
            for (int i = 0; i < n.length; i++) {
                m[i] = Math.exp(0.7 + 1.3 * Math.log(n[i]) + 0.3 * rng.nextGaussian());
            }
            covered += LogLogFit.of(n, m, 0.95).covers(1.3) ? 1 : 0;
        }
        double rate = covered / (double) trials;
        assertTrue(rate >= 0.93 && rate <= 0.97, "coverage " + rate);
    }

    @Test
    void refusesUnusableInput() {
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.of(new double[] {1}, new double[] {1}, 0.95));
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.of(new double[] {1, 2}, new double[] {0, 1}, 0.95));
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.of(new double[] {2, 2}, new double[] {1, 3}, 0.95));
    }

    /**
     * ofUsable fits the pairs that have logarithms and says so through points(); with fewer than two distinct such
     * x it returns empty where of() throws, so callers can report "not enough points" instead of a NaN slope.
     */
    @Test
    void ofUsableDropsPairsWithoutLogarithmsAndIsEmptyBelowTwoDistinctX() {
        double[] x = {2, 4, 8, 16};
        LogLogFit all = LogLogFit.ofUsable(x, new double[] {3, 12, 48, 192}, 0.95).orElseThrow();
        assertEquals(4, all.points());
        assertEquals(LogLogFit.of(x, new double[] {3, 12, 48, 192}, 0.95), all);
        LogLogFit some = LogLogFit.ofUsable(x, new double[] {3, 0, Double.NaN, 192}, 0.95).orElseThrow();
        assertEquals(2, some.points());
        assertEquals(2.0, some.slope(), 1e-12);
        assertTrue(LogLogFit.ofUsable(x, new double[] {3, 0, Double.NaN, Double.POSITIVE_INFINITY}, 0.95).isEmpty());
        assertTrue(LogLogFit.ofUsable(new double[] {64, 64}, new double[] {0.1, 0.2}, 0.95).isEmpty());
        assertTrue(LogLogFit.ofUsable(new double[] {64}, new double[] {0.1}, 0.95).isEmpty());
        assertTrue(LogLogFit.ofUsable(new double[] {}, new double[] {}, 0.95).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.ofUsable(x, new double[] {1}, 0.95));
    }
}
