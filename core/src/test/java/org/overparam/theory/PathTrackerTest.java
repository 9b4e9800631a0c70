package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;
import org.overparam.train.Optimizer;
import org.overparam.train.Sampling;
import org.overparam.train.Schedule;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * train --track on Du et al.'s net (f = (1/√m) Σ a_r relu(w_rᵀx), first layer trained): every measurement is
 * recomputed here from the initial and final weights with plain loops — the unit movements, the flipped signs, the
 * Gram G_ij = (1/m) Σ_r x_iᵀx_j 1{w_rᵀx_i > 0} 1{w_rᵀx_j > 0} (Jacobi eigenvalues), the linearized net by its
 * recurrence, and the PL ratio rᵀGr/n² over ‖r‖²/(2n).
 */
class PathTrackerTest {
    static final int N = 12;
    static final int D = 4;
    static final int M = 256;
    static final double LR = 1.5;
    static final int T = 60;

    @Test
    void everyTrackedQuantityMatchesAnIndependentComputation() {
        Matrix x = TheoryFixtures.sphere(N, D, 31);
        Matrix xt = TheoryFixtures.sphere(5, D, 32);
        Matrix y = Matrix.zeros(N, 1);
        for (int i = 0; i < N; i++) {
            y.set(i, 0, Math.sin(3 * x.get(i, 0)) + x.get(i, 1));
        }
        try (Network net = Network.initialize(NetworkSpec.du2019(D, M, Activations.RELU), 33);
                Network init = net.copy()) {
            PathTracker tracker = new PathTracker(EnumSet.allOf(PathTracker.Track.class), x, y, xt, Loss.MSE, 20);
            TrainSpec spec = new TrainSpec(Loss.MSE, Optimizer.GD, LR, Schedule.CONSTANT, 0, T, 0, Sampling.SHUFFLE, 0,
                    10, 1e6);
            new Trainer(net, x, y, spec).observe(tracker).run();
            double[][] w0 = rows(init.weight(0));
            double[][] wT = rows(net.weight(0));
            Map<String, Double> end = tracker.at(T);
            // unit movements: max, median, 90th percentile (linear interpolation, as numpy)
            double[] move = new double[M];
            for (int r = 0; r < M; r++) {
                double s = 0;
                for (int j = 0; j < D; j++) {
                    s += (wT[r][j] - w0[r][j]) * (wT[r][j] - w0[r][j]);
                }
                move[r] = Math.sqrt(s);
            }
            Arrays.sort(move);
            assertEquals(move[M - 1], end.get("neuron_movement_max"), 1e-14);
            assertEquals((move[127] + move[128]) / 2, end.get("neuron_movement_q50"), 1e-14);
            double p90 = 0.9 * (M - 1);
            assertEquals(move[229] + (p90 - 229) * (move[230] - move[229]), end.get("neuron_movement_q90"), 1e-14);
            // flipped activation signs
            long flipped = 0;
            for (int i = 0; i < N; i++) {
                for (int r = 0; r < M; r++) {
                    if ((dot(w0[r], x, i) > 0) != (dot(wT[r], x, i) > 0)) {
                        flipped++;
                    }
                }
            }
            assertEquals((double) flipped / (N * M), end.get("pattern_change_fraction"), 0);
            assertTrue(flipped > 0, "some patterns changed");
            // the Gram, its drift and lambda_min
            double[][] g0 = gram(w0, x);
            double[][] gT = gram(wT, x);
            double[][] diff = new double[N][N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    diff[i][j] = gT[i][j] - g0[i][j];
                }
            }
            double[] e0 = Independent.eigenvalues(g0);
            double[] eD = Independent.eigenvalues(diff);
            double[] eT = Independent.eigenvalues(gT);
            double norm0 = Math.max(Math.abs(e0[0]), Math.abs(e0[N - 1]));
            double normD = Math.max(Math.abs(eD[0]), Math.abs(eD[N - 1]));
            assertEquals(normD / norm0, end.get("kernel_drift"), 1e-9);
            assertEquals(eT[0], end.get("kernel_lambda_min"), 1e-12);
            assertEquals(2 * eT[0] / N, end.get("pl_mu_kernel"), 1e-12);
            // the kernel is measured at its own interval (20): not at the record step 10
            assertTrue(!tracker.at(10).containsKey("kernel_drift") && tracker.at(20).containsKey("kernel_drift"));
            // the linearized net by its recurrence f <- f - (eta/n) G0 (f - y), against the net at T
            double[] f = predict(w0, init, x);
            for (int t = 0; t < T; t++) {
                double[] res = new double[N];
                for (int i = 0; i < N; i++) {
                    res[i] = f[i] - y.get(i, 0);
                }
                for (int i = 0; i < N; i++) {
                    double s = 0;
                    for (int j = 0; j < N; j++) {
                        s += g0[i][j] * res[j];
                    }
                    f[i] -= LR / N * s;
                }
            }
            double[] fT = predict(wT, init, x);
            double num = 0;
            double den = 0;
            for (int i = 0; i < N; i++) {
                num += (fT[i] - f[i]) * (fT[i] - f[i]);
                den += fT[i] * fT[i];
            }
            assertEquals(Math.sqrt(num / den), end.get("linearization_gap_train"), 1e-9);
            assertTrue(end.containsKey("linearization_gap_test"));
            // the PL ratio at step 0: ||grad L||^2 / L = (r^T G0 r / n^2) / (||r||^2 / (2n))
            double[] r0 = predict(w0, init, x);
            double rGr = 0;
            double rr = 0;
            for (int i = 0; i < N; i++) {
                r0[i] -= y.get(i, 0);
            }
            for (int i = 0; i < N; i++) {
                rr += r0[i] * r0[i];
                for (int j = 0; j < N; j++) {
                    rGr += r0[i] * g0[i][j] * r0[j];
                }
            }
            assertEquals((rGr / N / N) / (rr / (2 * N)), tracker.at(0).get("pl_ratio"), 1e-9);
            assertEquals(0.0, tracker.at(0).get("neuron_movement_max"));
        }
    }

    @Test
    void linearizationNeedsGdOnMse() {
        Matrix x = TheoryFixtures.sphere(N, D, 31);
        Matrix y = Matrix.zeros(N, 1);
        try (Network net = Network.initialize(NetworkSpec.du2019(D, 16, Activations.RELU), 33)) {
            PathTracker tracker = new PathTracker(EnumSet.of(PathTracker.Track.LINEARIZATION), x, y, null, Loss.MSE, 0);
            TrainSpec sgd = new TrainSpec(Loss.MSE, Optimizer.SGD, 0.1, Schedule.CONSTANT, 0, 5, 4, Sampling.SHUFFLE, 0,
                    1, 1e6);
            assertThrows(InputError.class, () -> new Trainer(net, x, y, sgd).observe(tracker).run());
        }
        assertThrows(InputError.class, () -> PathTracker.Track.parseList("neurons,nosuch"));
    }

    private static double[][] rows(Matrix w) {
        double[][] out = new double[w.rows()][w.cols()];
        for (int i = 0; i < w.rows(); i++) {
            for (int j = 0; j < w.cols(); j++) {
                out[i][j] = w.get(i, j);
            }
        }
        return out;
    }

    private static double dot(double[] w, Matrix x, int i) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += w[j] * x.get(i, j);
        }
        return s;
    }

    /** G_ij = (1/m) Σ_r x_iᵀx_j 1{w_rᵀx_i > 0} 1{w_rᵀx_j > 0} (a_r² = 1). */
    private static double[][] gram(double[][] w, Matrix x) {
        double[][] g = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double xx = 0;
                for (int c = 0; c < D; c++) {
                    xx += x.get(i, c) * x.get(j, c);
                }
                int both = 0;
                for (int r = 0; r < M; r++) {
                    if (dot(w[r], x, i) > 0 && dot(w[r], x, j) > 0) {
                        both++;
                    }
                }
                g[i][j] = xx * both / M;
            }
        }
        return g;
    }

    /** f(x_i) = (1/√m) Σ_r a_r relu(w_rᵀx_i), with the fixed a_r of {@code net}'s output layer. */
    private static double[] predict(double[][] w, Network net, Matrix x) {
        Matrix a = net.weight(1);
        double[] f = new double[N];
        for (int i = 0; i < N; i++) {
            double s = 0;
            for (int r = 0; r < M; r++) {
                s += a.get(0, r) * Math.max(0, dot(w[r], x, i));
            }
            f[i] = s / Math.sqrt(M);
        }
        return f;
    }
}
