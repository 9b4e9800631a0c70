package org.overparam.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;

class TrainerTest {
    @Test
    void gradientDescentOnLeastSquaresReachesTheClosedFormSolution() {
        int n = 40;
        int d = 5;
        Matrix x = gaussian(n, d, 1);
        Matrix y = gaussian(n, 2, 2);
        NetworkSpec spec = NetworkSpec.standard(d, new int[0], 2, Activations.LINEAR);
        try (Network net = Network.initialize(spec, 3)) {
            // L = (1/2n)‖[X 1]·θ − Y‖²: Hessian [X 1]ᵀ[X 1]/n, so η = 1/λ_max converges.
            Matrix aug = Matrix.zeros(n, d + 1);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    aug.set(i, j, x.get(i, j));
                }
                aug.set(i, d, 1.0);
            }
            double[] lam = Lapack.symmetricEigenvalues(org.overparam.linalg.Blas.multiply(aug, true, aug, false));
            double lr = n / lam[lam.length - 1];
            TrainResult r = new Trainer(net, x, y, TrainSpec.gd(Loss.MSE, lr, 3000, 0)).run();
            Matrix theta = Lapack.leastSquares(aug, y); // (d+1) × 2: rows are coefficients
            for (int a = 0; a < 2; a++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(theta.get(j, a), net.weight(0).get(a, j), 1e-9, "W[" + a + "," + j + "]");
                }
                assertEquals(theta.get(d, a), net.bias(0).get(0, a), 1e-9);
            }
            // and the loss reached the least-squares residual
            Matrix res = org.overparam.linalg.Blas.multiply(aug, theta);
            org.overparam.linalg.Vectors.axpy(-1.0, y, res);
            assertEquals(0.5 * Math.pow(res.frobenius(), 2) / n, r.last().loss(), 1e-12);
        }
    }

    private static double[] trainOnce(long seed, Optimizer opt, double momentum, long steps, TrainState resume,
            List<TrainState> saved) {
        Matrix x = gaussian(30, 4, 11);
        Matrix y = gaussian(30, 1, 12);
        NetworkSpec spec = NetworkSpec.standard(4, new int[] {16}, 1, Activations.TANH);
        try (Network net = Network.initialize(spec, seed)) {
            TrainSpec ts = new TrainSpec(Loss.MSE, opt, 0.05, Schedule.CONSTANT, momentum, steps, 8, Sampling.SHUFFLE,
                    seed, 3, 1e6);
            Trainer t = new Trainer(net, x, y, ts);
            if (resume != null) {
                t.resumeFrom(resume);
            }
            if (saved != null) {
                t.checkpointer(new Checkpointer() {
                    public long every() {
                        return 10;
                    }

                    public void save(TrainState s) {
                        saved.add(s);
                    }
                });
            }
            t.run();
            return net.parameters().toArray();
        }
    }

    @Test
    void sameSeedGivesBitIdenticalRunsAndResumeContinuesExactly() {
        double[] a = trainOnce(5, Optimizer.SGD, 0.9, 40, null, null);
        double[] b = trainOnce(5, Optimizer.SGD, 0.9, 40, null, null);
        assertArrayEquals(a, b, 0.0);
        double[] other = trainOnce(6, Optimizer.SGD, 0.9, 40, null, null);
        assertTrue(java.util.Arrays.stream(other).sum() != java.util.Arrays.stream(a).sum());
        List<TrainState> saved = new ArrayList<>();
        trainOnce(5, Optimizer.SGD, 0.9, 40, null, saved);
        TrainState mid = saved.get(1); // step 20
        assertEquals(21, mid.step()); // saved after step 20's update: the next step is 21
        double[] resumed = trainOnce(5, Optimizer.SGD, 0.9, 40, mid, null);
        assertArrayEquals(a, resumed, 0.0);
    }

    @Test
    void foldedUpdateEqualsExplicitGradientStep() {
        // record every step (explicit gradient) vs every 1000 (update folded into the GEMM): same trajectory
        Matrix x = gaussian(20, 3, 21);
        Matrix y = gaussian(20, 2, 22);
        NetworkSpec spec = NetworkSpec.standard(3, new int[] {10, 7}, 2, Activations.RELU);
        double[][] res = new double[2][];
        int[] every = {1, 1000};
        for (int i = 0; i < 2; i++) {
            try (Network net = Network.initialize(spec, 23)) {
                new Trainer(net, x, y, TrainSpec.gd(Loss.MSE, 0.1, 25, 0).withRecordEvery(every[i])).run();
                res[i] = net.parameters().toArray();
            }
        }
        assertArrayEquals(res[0], res[1], 1e-13);
    }

    @Test
    void divergenceStopsTheRunNamingTheStep() {
        Matrix x = gaussian(20, 3, 31);
        Matrix y = gaussian(20, 1, 32);
        try (Network net = Network.initialize(NetworkSpec.standard(3, new int[] {50}, 1, Activations.RELU), 33)) {
            DivergenceException e = assertThrows(DivergenceException.class,
                    () -> new Trainer(net, x, y, TrainSpec.gd(Loss.MSE, 50.0, 1000, 0)).run());
            assertTrue(e.getMessage().contains("step " + e.step()));
            assertTrue(e.getMessage().contains("smaller --lr"));
        }
    }

    @Test
    void recordsDistanceAndGradientNormAtRecordSteps() {
        Matrix x = gaussian(16, 3, 41);
        Matrix y = gaussian(16, 1, 42);
        List<StepRecord> recs = new ArrayList<>();
        try (Network net = Network.initialize(NetworkSpec.standard(3, new int[] {8}, 1, Activations.RELU), 43)) {
            new Trainer(net, x, y, TrainSpec.gd(Loss.MSE, 0.1, 10, 0).withRecordEvery(5))
                    .observe((r, nn) -> recs.add(r)).run();
        }
        assertEquals(11, recs.size());
        assertEquals(0.0, recs.get(0).distance());
        assertTrue(recs.get(0).gradNormSq() > 0);
        assertTrue(Double.isNaN(recs.get(1).gradNormSq()));
        assertTrue(recs.get(5).distance() > 0);
        assertTrue(recs.get(10).full());
        double sq = 0;
        for (double v : recs.get(5).layerDistance()) {
            sq += v * v;
        }
        assertEquals(recs.get(5).distance(), Math.sqrt(sq), 1e-12);
        assertTrue(recs.get(10).loss() < recs.get(0).loss());
    }

    @Test
    void shapeMismatchesAreInputErrors() {
        Matrix x = gaussian(10, 3, 51);
        Matrix y = gaussian(9, 1, 52);
        try (Network net = Network.initialize(NetworkSpec.standard(3, new int[] {4}, 1, Activations.RELU), 1)) {
            assertThrows(org.overparam.InputError.class, () -> new Trainer(net, x, y, TrainSpec.gd(Loss.MSE, 0.1, 1, 0)));
            Matrix y2 = gaussian(10, 2, 53);
            assertThrows(org.overparam.InputError.class, () -> new Trainer(net, x, y2, TrainSpec.gd(Loss.MSE, 0.1, 1, 0)));
        }
    }
}
