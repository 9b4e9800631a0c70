package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

class LinearizationTest {
    private static final int N = 8;
    private static final int D = 3;
    private static final double LR = 0.5;
    private static final long STEPS = 100;
    private static final int[] WIDTHS = {64, 256, 1024};

    private static NetworkSpec ntk(int m) {
        return NetworkSpec.ntk(D, new int[] {m}, 1, Activations.TANH, 1.0, 0.0, false);
    }

    /** The helper: the gap shrinks with width, log-log slope between -1 and -0.2 over 3 widths. */
    @Test
    void gapShrinksWithWidth() {
        Matrix x = gaussian(N, D, 901);
        Matrix y = gaussian(N, 1, 902);
        double[] g = Linearization.gaps(ntk(64), WIDTHS, 903, 3, x, y, LR, STEPS);
        double slope = Linearization.gapTrend(WIDTHS, g).orElseThrow().slope();
        System.out.printf("linearization gaps %s slope %.3f%n", java.util.Arrays.toString(g), slope);
        assertTrue(g[0] > g[1] && g[1] > g[2], java.util.Arrays.toString(g));
        assertTrue(slope >= -1 && slope <= -0.2, "slope " + slope);
    }

    /** A width at which GD diverges has no gap (NaN), not an exception out of the check; no slope from none. */
    @Test
    void divergingWidthsHaveNoGap() {
        Matrix x = gaussian(N, D, 901);
        Matrix y = gaussian(N, 1, 902);
        double[] g = Linearization.gaps(ntk(64), WIDTHS, 903, 2, x, y, 1e4, STEPS);
        for (double v : g) {
            assertTrue(Double.isNaN(v), java.util.Arrays.toString(g));
        }
        assertTrue(Linearization.gapTrend(WIDTHS, g).isEmpty());
    }

    /** The check on an ntk net of width 256: holds, and GD's path is nearly straight. */
    @Test
    void ntkNetHolds() {
        Matrix x = gaussian(N, D, 901);
        Matrix y = gaussian(N, 1, 902);
        try (Network net = Network.initialize(ntk(256), 903)) {
            CheckResult r = new Linearization(LR, STEPS, WIDTHS, 903, 3).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertTrue(r.get("relative_output_gap") < 0.02 && r.get("log_log_slope") <= -0.2, r.describe());
            double ratio = r.get("path_over_displacement");
            assertTrue(ratio >= 1 - 1e-12 && ratio < 1.5, "nearly shortest path: " + ratio);
            assertTrue(r.get("loss_T") < 0.5 * Loss.MSE.value(net.predict(x), y), r.describe());
        }
    }

    /**
     * One width given twice leaves no slope: inconclusive with "not enough points" and no log_log_slope (before
     * LogLogFit this was 0/0 = NaN, reported as a slope).
     */
    @Test
    void noSlopeFromOneDistinctWidth() {
        Matrix x = gaussian(N, D, 901);
        Matrix y = gaussian(N, 1, 902);
        try (Network net = Network.initialize(ntk(64), 903)) {
            CheckResult r = new Linearization(LR, 20, new int[] {64, 64}, 903, 1).run(new Setup(net, x, y, Loss.MSE));
            assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r.describe());
            assertFalse(r.measured().containsKey("log_log_slope"), r.describe());
        }
        assertTrue(Linearization.gapTrend(WIDTHS, new double[] {0.1, 0, Double.NaN}).isEmpty());
    }

    /** Standard (PyTorch) parameterization: the width claim's hypothesis is not met. */
    @Test
    void standardParameterizationIsHypothesisNotMet() {
        Matrix x = gaussian(N, D, 911);
        Matrix y = gaussian(N, 1, 912);
        try (Network net = Network.initialize(NetworkSpec.standard(D, new int[] {64}, 1, Activations.TANH), 913)) {
            CheckResult r = new Linearization(LR, 20, WIDTHS, 913, 1).run(new Setup(net, x, y, Loss.MSE));
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertFalse(r.hypothesis().met(), r.describe());
        }
    }
}
