package org.overparam.experiment.reproduce;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.stats.LogLogFit;

/** The comparisons with the papers' findings follow the numbers, and say so when the numbers disagree. */
class ReproduceVerdictTest {
    private static final double[] M = {128, 512, 2048, 8192};

    private static LogLogFit fit(double exponent, double noise) {
        double[] y = new double[M.length];
        for (int i = 0; i < M.length; i++) {
            y[i] = Math.pow(M[i], exponent) * (1 + noise * (i % 2 == 0 ? 1 : -1));
        }
        return LogLogFit.of(M, y, 0.95);
    }

    @Test
    void duFig1AgreesOnlyWhenBothSlopesAreBelowZero() {
        assertTrue(DuFig1.verdict(fit(-0.5, 0.01), fit(-0.5, 0.01)).startsWith("Both shrink with width"));
        assertTrue(DuFig1.verdict(fit(-0.5, 0.01), fit(-0.5, 0.01)).contains("contains -1/2"));
        assertTrue(DuFig1.verdict(fit(-0.2, 0.01), fit(-0.2, 0.01)).contains("does not contain -1/2"));
        assertTrue(DuFig1.verdict(fit(0.1, 0.01), fit(-0.5, 0.01)).startsWith("Not as in the paper"));
        assertTrue(DuFig1.verdict(LogLogFit.of(new double[] {1, 2}, new double[] {2, 1}, 0.95), fit(-0.5, 0))
                .startsWith("Too few widths"));
    }

    @Test
    void aroraAgreesOnlyWhenTheTrueLabelsTrackAndTheRandomLeave() {
        assertTrue(AroraFig.verdict(0.01, 0.3, true).startsWith("As in the paper"));
        assertTrue(AroraFig.verdict(0.2, 0.3, true).startsWith("Not as in the paper"));
        assertTrue(AroraFig.verdict(0.01, 0.02, true).contains("random labels stay within the tolerance"));
        assertTrue(AroraFig.verdict(0.01, 0.3, false).contains("fitted as fast"));
        // the deviation Theorem 4.1 bounds, from loss curves: |sqrt(L_k) - sqrt(P_k)| / sqrt(L_0), largest over k
        assertTrue(Math.abs(AroraFig.deviation(new double[] {4, 1, 0.25}, new double[] {4, 0.81, 0.36}) - 0.05) < 1e-12);
    }

    @Test
    void leeAgreesOnlyWhenBothGapsShrink() {
        assertTrue(LeeLinearization.verdict(fit(-0.5, 0.01), fit(-0.5, 0.01)).startsWith("As in the paper"));
        assertTrue(LeeLinearization.verdict(fit(-0.5, 0.01), fit(-0.5, 0.01)).contains("consistent with 1/√m"));
        assertTrue(LeeLinearization.verdict(fit(0.2, 0.01), fit(-0.5, 0.01)).startsWith("Not as in the paper"));
    }

    @Test
    void liuAgreesOnlyWhenTheHessianShrinksAndTheKernelStays() {
        assertTrue(LiuHessian.verdict(fit(-0.5, 0.01), 1.2).startsWith("As in the paper"));
        assertTrue(LiuHessian.verdict(fit(-0.5, 0.01), 1.2).contains("contains -1/2"));
        assertTrue(LiuHessian.verdict(fit(-0.5, 0.01), 2.0).contains("tangent kernel varies"));
        assertTrue(LiuHessian.verdict(fit(0.1, 0.01), 1.2).contains("does not lie below 0"));
    }

    @Test
    void oymakAgreesOnlyInsideTheLineWithAFallingMisfit() {
        assertTrue(OymakPath.verdict(true, true, fit(-0.5, 0.01)).startsWith("As in the paper"));
        assertTrue(OymakPath.verdict(true, true, fit(-0.5, 0.01)).contains("shrinks with width"));
        assertTrue(OymakPath.verdict(false, true, fit(-0.5, 0.01)).contains("crosses the line"));
        assertTrue(OymakPath.verdict(true, false, fit(-0.5, 0.01)).contains("did not fall"));
    }

    @Test
    void chenFollowsPolylogRunsReadingOfTheFits() {
        assertTrue(ChenNtrf.verdict("no trend", new int[] {4, 9}, Double.NaN).contains("cannot tell polylog from constant"));
        assertTrue(ChenNtrf.verdict("polylog", new int[] {4, 9}, 0.3).startsWith("As in the paper"));
        assertTrue(ChenNtrf.verdict("power", new int[] {4, 90}, 1.2).startsWith("Not as in the paper"));
        assertTrue(ChenNtrf.verdict("undetermined", new int[0], Double.NaN).startsWith("Fewer than three"));
    }
}
