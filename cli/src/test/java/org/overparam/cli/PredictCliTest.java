package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.io.Npz;

/**
 * overparam predict end to end: a PyTorch model's linearization starts at the model's own outputs and fits the training
 * labels at step ∞; an infinite NNGP ensemble writes a symmetric covariance with a non-negative diagonal that shrinks
 * from step 0 to ∞; a missing test set and bad step lists are one line, exit 2.
 */
class PredictCliTest {
    @TempDir
    Path tmp;

    static final Path FIX = Path.of("../core/src/test/resources/fixtures/torch/mlp_relu_tanh");

    @Test
    void linearizationOfATorchModelStartsAtItsOutputsAndFitsAtInfinity() throws Exception {
        Path out = tmp.resolve("p");
        // test points = the training points: step 0's test outputs are the model's own outputs (out.npy, real torch)
        CliRuns.Run r = run("predict", "--model", FIX.resolve("state.npz").toString(), "--activation", "relu,tanh",
                "--data", FIX.resolve("X.npy").toString(), "--labels", FIX.resolve("Y.npy").toString(), "--test-data",
                FIX.resolve("X.npy").toString(), "--test-labels", FIX.resolve("Y.npy").toString(), "--steps", "0,5,inf",
                "--lr", "0.1", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, NdArray> p = Npz.read(out.resolve("predictions.npz"));
        assertEquals(java.util.List.of(3, 9, 3), java.util.Arrays.stream(p.get("test_mean").shape()).boxed().toList());
        double[] torchOut = Npy.read(FIX.resolve("out.npy")).data();
        double[] test = p.get("test_mean").data();
        for (int i = 0; i < torchOut.length; i++) {
            assertEquals(torchOut[i], test[i], 1e-12, "step 0 = the model's outputs");
        }
        // 9 points x 3 outputs = 27 <= P parameters: the full Gram is invertible and step inf fits the labels
        double[] y = Npy.read(FIX.resolve("Y.npy")).data();
        double[] train = p.get("train_mean").data();
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i], train[2 * y.length + i], 1e-8, "fit at inf");
        }
        assertTrue(r.out().contains("\"eigenvalues_dropped_at_infinity\":0"), r.out());
    }

    @Test
    void nngpEnsembleCovarianceShrinksToThePosterior() throws Exception {
        Path out = tmp.resolve("e");
        CliRuns.Run r = run("predict", "--kind", "nngp", "--depth", "2", "--dataset", "sphere:n=30,d=5",
                "--test-dataset", "sphere:n=6,d=5,seed=3", "--steps", "0,inf", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, NdArray> p = Npz.read(out.resolve("predictions.npz"));
        double[] cov = p.get("test_cov").data();
        int t = 6;
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < t; i++) {
                assertTrue(cov[w * t * t + i * t + i] >= -1e-12, "variance >= 0");
                for (int j = 0; j < t; j++) {
                    assertEquals(cov[w * t * t + i * t + j], cov[w * t * t + j * t + i], 1e-14);
                }
            }
        }
        for (int i = 0; i < t; i++) {
            assertTrue(cov[t * t + i * t + i] < cov[i * t + i], "the posterior variance is below the prior's");
        }
        double[] mean0 = java.util.Arrays.copyOfRange(p.get("test_mean").data(), 0, t);
        for (double v : mean0) {
            assertEquals(0.0, v, 0.0, "an ensemble starts from f_0 = 0");
        }
    }

    /** --centres: the Falkon-style solver on the command line; with every point a centre it is the dense answer. */
    @Test
    void nystromWithEveryPointACentreMatchesTheDenseSolve() throws Exception {
        String[] common = {"predict", "--kind", "ntk", "--depth", "2", "--dataset", "margin:n=120,d=5,gamma=0.1",
            "--test-split", "0.25", "--steps", "inf", "--ridge", "0.01"};
        java.util.List<String> dense = new java.util.ArrayList<>(java.util.List.of(common));
        dense.addAll(java.util.List.of("--out", tmp.resolve("dense").toString()));
        java.util.List<String> ny = new java.util.ArrayList<>(java.util.List.of(common));
        ny.addAll(java.util.List.of("--centres", "90", "--out", tmp.resolve("ny").toString()));
        assertEquals(0, run(dense.toArray(new String[0])).code());
        CliRuns.Run r = run(ny.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("solver.iterations"), r.out());
        double[] a = Npz.read(tmp.resolve("dense/predictions.npz")).get("test_mean").data();
        double[] b = Npz.read(tmp.resolve("ny/predictions.npz")).get("test_mean").data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6 * (1 + Math.abs(a[i])), "test point " + i);
        }
    }

    @Test
    void badInputIsOneLineExitTwo() {
        for (String[] args : new String[][] {
            {"predict", "--dataset", "sphere:n=10,d=3", "--steps", "1", "--out", tmp.resolve("a").toString()},
            {"predict", "--dataset", "sphere:n=10,d=3", "--test-split", "0.2", "--steps", "1.5", "--out",
                tmp.resolve("b").toString()},
            {"predict", "--dataset", "sphere:n=10,d=3", "--test-split", "0.2", "--out", tmp.resolve("c").toString()},
            {"predict", "--dataset", "sphere:n=10,d=3", "--test-split", "0.2", "--steps", "1", "--lr", "-1", "--out",
                tmp.resolve("d").toString()},
            {"predict", "--dataset", "sphere:n=10,d=3", "--test-split", "0.2", "--steps", "10", "--centres", "5",
                "--ridge", "0.1", "--out", tmp.resolve("e").toString()},
            {"predict", "--dataset", "sphere:n=10,d=3", "--test-split", "0.2", "--steps", "inf", "--centres", "5",
                "--out", tmp.resolve("f").toString()},
            // past the n x n kernels the exact path can hold: refused before any kernel is computed
            {"predict", "--dataset", "sphere:n=17000,d=3", "--test-split", "0.01", "--steps", "inf", "--out",
                tmp.resolve("g").toString()}}) {
            CliRuns.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
