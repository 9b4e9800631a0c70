package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.TrainableLayers;
import org.overparam.train.Loss;

class LastLayerConvexTest {
    private static NetworkSpec lastOnly(int d, int width) {
        return NetworkSpec.du2019(d, width, Activations.RELU).withTrainable(TrainableLayers.LAST);
    }

    /** A = s_1·relu(s_0 W x): the Jacobian in the trained last layer's weights a, written out (n × k). */
    private static double[][] features(Network net, Matrix x) {
        Matrix w = net.weight(0);
        double[][] a = new double[x.rows()][w.rows()];
        for (int i = 0; i < x.rows(); i++) {
            for (int r = 0; r < w.rows(); r++) {
                double z = 0;
                for (int j = 0; j < x.cols(); j++) {
                    z += net.weightScale(0) * w.get(r, j) * x.get(i, j);
                }
                a[i][r] = net.weightScale(1) * Math.max(0, z);
            }
        }
        return a;
    }

    /**
     * k = 64 ≥ n = 20: rank Q = n, the least-squares optimum is 0 and GD on the last layer gets there at the
     * predicted rate. The model is linear in the trained weights, so GD's loss is computed here in closed form,
     * r_t = (I − (η/n)AAᵀ)^t r_0, with η = 0.5·2n/λmax(AAᵀ) and the contraction c from Jacobi eigenvalues.
     */
    @Test
    void wideLastLayerInterpolatesAndGdReachesTheLeastSquaresOptimum() {
        int n = 20;
        Matrix x = TheoryFixtures.sphere(n, 5, 301);
        Matrix y = gaussian(n, 1, 302);
        try (Network net = Network.initialize(lastOnly(5, 64), 303); Matrix r0 = Independent.residual(net, x, y)) {
            CheckResult r = new LastLayerConvex(0.5, 6000).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            double[][] g = Independent.gramRows(features(net, x));
            double[] ev = Independent.eigenvalues(g);
            double eta = 0.5 * 2 * n / ev[n - 1];
            double c = 0;
            for (double l : ev) { // rank A = n here: every eigenvalue is positive
                c = Math.max(c, Math.abs(1 - eta * l / n));
            }
            double[] losses = Independent.linearGdLosses(g, r0, eta, 6000);
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertEquals(20, r.get("rank_Q"));
            assertTrue(ev[0] > 1e-6 * ev[n - 1], "rank A = n: " + ev[0]);
            assertTrue(r.get("least_squares_loss") < 1e-20, r.describe());
            assertEquals(eta, r.get("eta"), 1e-10 * eta, r.describe());
            assertEquals(eta / n, r.get("eta_eff_sum_loss"), 1e-10 * eta, r.describe());
            assertEquals(c, r.get("contraction"), 1e-12, r.describe());
            assertEquals(losses[0], r.get("loss_0"), 1e-12 * losses[0], r.describe());
            assertEquals(losses[6000], r.get("loss_T"), 1e-6 * losses[6000], r.describe());
            assertEquals(Math.pow(c, 2 * 6000) * losses[0], r.get("gap_bound"), 1e-6 * r.get("gap_bound"), r.describe());
            assertTrue(losses[6000] <= Math.pow(c, 2 * 6000) * losses[0], "closed form above c^(2T) L_0");
            assertTrue(losses[6000] < 1e-3 * losses[0], r.describe());
        }
    }

    /** k = 8 < n = 20: hypothesis not met; L* > 0 and GD still converges to it (convexity), not to 0. */
    @Test
    void narrowLastLayerIsHypothesisNotMet() {
        Matrix x = TheoryFixtures.sphere(20, 5, 311);
        Matrix y = gaussian(20, 1, 312);
        try (Network net = Network.initialize(lastOnly(5, 8), 313)) {
            CheckResult r = new LastLayerConvex(0.5, 3000).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict(), r.describe());
            assertTrue(r.get("rank_Q") <= 8, r.describe());
            // L* by the normal equations AᵀA c = Aᵀy (k = 8 unknowns), GD's loss by the closed form
            double[][] a = features(net, x);
            double[][] ata = new double[8][8];
            double[] aty = new double[8];
            for (int i = 0; i < 20; i++) {
                for (int p = 0; p < 8; p++) {
                    aty[p] += a[i][p] * y.get(i, 0);
                    for (int q = 0; q < 8; q++) {
                        ata[p][q] += a[i][p] * a[i][q];
                    }
                }
            }
            double[] coef = Independent.solve(ata, aty);
            double lStar = 0;
            for (int i = 0; i < 20; i++) {
                double fit = 0;
                for (int p = 0; p < 8; p++) {
                    fit += a[i][p] * coef[p];
                }
                lStar += (fit - y.get(i, 0)) * (fit - y.get(i, 0)) / 40;
            }
            double[][] g = Independent.gramRows(a);
            double eta = 0.5 * 2 * 20 / Independent.eigenvalues(g)[19];
            double lT;
            try (Matrix r0 = Independent.residual(net, x, y)) {
                lT = Independent.linearGdLosses(g, r0, eta, 3000)[3000];
            }
            assertEquals(lStar, r.get("least_squares_loss"), 1e-9 * lStar, r.describe());
            assertEquals(lT, r.get("loss_T"), 1e-9 * lT, r.describe());
            assertTrue(lStar > 0.05 * r.get("loss_0"), r.describe());
            assertTrue(lT - lStar < 1e-3 * lStar, "GD reaches the least-squares optimum: " + lT + " vs " + lStar);
        }
    }

    /**
     * QᵀQ/k → K^∞ at rate ~1/√k (du2019: w_r ~ N(0, I), raw inner products); widths 32, 128, 512, three seeds
     * each: the log-log slope is near −1/2.
     */
    @Test
    void empiricalKernelApproachesTheLimitLikeOneOverSqrtWidth() {
        Matrix x = TheoryFixtures.sphere(10, 5, 321);
        List<LastLayerConvex.KernelPoint> pts = LastLayerConvex.kernelConvergence(x, Activations.RELU,
                new int[] {32, 128, 512}, 3);
        System.out.println("||Q^T Q/k - K_inf||_F/||K_inf||_F: " + pts);
        assertTrue(pts.get(0).relativeDistance() > pts.get(1).relativeDistance()
                && pts.get(1).relativeDistance() > pts.get(2).relativeDistance(), pts.toString());
        double slope = Math.log(pts.get(2).relativeDistance() / pts.get(0).relativeDistance()) / Math.log(16);
        assertTrue(slope > -0.8 && slope < -0.25, "slope " + slope);
        assertTrue(pts.get(2).relativeDistance() < 0.15, pts.toString());
    }

    /** The ntk convention (x̃ = [σ_w x/√d, σ_b]) with biases and a non-unit input scale: the run's kernel distance is small. */
    @Test
    void ntkParameterizationUsesTheEffectiveInput() {
        Matrix x = gaussian(8, 6, 331);
        Matrix y = gaussian(8, 1, 332);
        NetworkSpec spec = NetworkSpec.ntk(6, new int[] {512}, 1, Activations.RELU, 1.5, 0.7, true)
                .withTrainable(TrainableLayers.LAST);
        try (Network net = Network.initialize(spec, 333)) {
            CheckResult r = new LastLayerConvex(0.5, 200).run(new Setup(net, x, y, Loss.MSE));
            System.out.println(r.describe());
            assertEquals(Verdict.HOLDS, r.verdict(), r.describe());
            assertTrue(r.get("kernel_relative_distance") < 0.15, r.describe());
        }
    }
}
