package org.overparam.cli;

import static org.overparam.cli.CliRuns.json;
import static org.overparam.cli.CliRuns.run;
import org.overparam.cli.CliRuns.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.ModelFile;
import org.overparam.nn.Network;
import org.overparam.nn.TrainableLayers;

/** overparam memorize end to end: the saved model reproduces the labels; bad input exits 2 with one line. */
class MemorizeCliTest {
    @TempDir
    Path dir;

    /** X (n × d) Gaussian and labels: real N(5, 9) when classes == 0, else integers 0..classes−1. */
    Path[] write(int n, int d, int classes, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int k = 0; k < x.length; k++) {
            x[k] = rng.nextGaussian();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = classes == 0 ? 5 + 3 * rng.nextGaussian() : rng.nextInt(classes);
        }
        Path xf = dir.resolve("X" + seed + ".npy");
        Path yf = dir.resolve("y" + seed + ".npy");
        Npy.write(NdArray.of(x, n, d), xf);
        Npy.write(NdArray.of(y, n), yf);
        return new Path[] {xf, yf};
    }

    /** Max |f(x_i) − target_ic| of the saved model, read back with ModelFile and relu. */
    static double reloadedError(Path model, Path xf, double[][] target) {
        NdArray xa = Npy.read(xf);
        try (Network net = ModelFile.read(model).toNetwork(List.of(Activations.RELU), TrainableLayers.ALL);
                Matrix x = Matrix.of(xa.shape()[0], xa.shape()[1], xa.data()); Matrix f = net.predict(x)) {
            double max = 0;
            for (int i = 0; i < target.length; i++) {
                for (int c = 0; c < target[i].length; c++) {
                    max = Math.max(max, Math.abs(f.get(i, c) - target[i][c]));
                }
            }
            return max;
        }
    }

    @Test
    void bothConstructionsSaveAModelThatReproducesRealLabels() throws Exception {
        Path[] f = write(200, 10, 0, 1);
        double[] y = Npy.read(f[1]).data();
        double[][] target = new double[y.length][];
        double maxY = 0;
        for (int i = 0; i < y.length; i++) {
            target[i] = new double[] {y[i]};
            maxY = Math.max(maxY, Math.abs(y[i]));
        }
        for (String c : List.of("yun", "zhang")) {
            Path model = dir.resolve(c + ".npz");
            Map<String, Object> r = json(run("memorize", "--data", f[0].toString(), "--labels", f[1].toString(),
                    "--construction", c, "--save-model", model.toString(), "--json", "--threads", "1"));
            for (String key : List.of("construction", "n", "hidden", "max_error", "relative_error", "free_weights",
                    "stored_numbers", "exact")) {
                assertTrue(r.containsKey(key), key + " missing in " + r);
            }
            assertEquals(c, r.get("construction"));
            assertEquals(true, r.get("exact"));
            assertTrue(((Number) r.get("relative_error")).doubleValue() <= 1e-8, r.toString());
            double err = reloadedError(model, f[0], target);
            assertTrue(err <= 1e-8 * maxY, c + ": reloaded max error " + err);
            assertEquals(((Number) r.get("max_error")).doubleValue(), err, 1e-12 * maxY);
            if (c.equals("zhang")) {
                assertEquals(410L, r.get("free_weights"));
                assertEquals(2401L, r.get("stored_numbers"));
            }
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("partial")), "temporary file left");
        }
    }

    @Test
    void classLabelsGetOneOutputPerClassAndPlainOutputIsReadable() throws Exception {
        Path[] f = write(150, 5, 3, 2);
        Path model = dir.resolve("cls.safetensors");
        Run r = run("memorize", "--data", f[0].toString(), "--labels", f[1].toString(), "--one-hot", "--save-model",
                model.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("construction: yun") && r.out().contains("max_error: ")
                && r.out().contains("relative_error: ") && r.out().contains("free_weights: ")
                && r.out().contains("stored_numbers: "), r.out());
        double[] y = Npy.read(f[1]).data();
        double[][] target = new double[y.length][3];
        for (int i = 0; i < y.length; i++) {
            target[i][(int) y[i]] = 1.0;
        }
        assertTrue(reloadedError(model, f[0], target) <= 1e-8);
    }

    @Test
    void badInputExitsTwoWithOneLine() throws Exception {
        Path[] f = write(10, 3, 0, 3);
        double[] x = Npy.read(f[0]).data();
        System.arraycopy(x, 0, x, 3 * 5, 3); // row 5 := row 0, labels differ
        Path dup = dir.resolve("dup.npy");
        Npy.write(NdArray.of(x, 10, 3), dup);
        Path model = dir.resolve("m.npz");
        for (String[] args : List.of(
                new String[] {"memorize", "--data", dup.toString(), "--labels", f[1].toString(), "--save-model", model.toString()},
                new String[] {"memorize", "--data", f[0].toString(), "--labels", f[1].toString(), "--construction", "nope",
                        "--save-model", model.toString()},
                new String[] {"memorize", "--data", f[0].toString(), "--labels", f[1].toString(), "--save-model",
                        dir.resolve("m.txt").toString()},
                new String[] {"memorize", "--data", f[0].toString(), "--save-model", model.toString()},
                new String[] {"memorize", "--data", f[0].toString(), "--labels", f[1].toString()},
                new String[] {"memorize", "--data", f[0].toString(), "--labels", f[1].toString(), "--save-model",
                        model.toString(), "--threads", "0"})) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertTrue(r.err().startsWith("overparam: error: "), r.err());
        }
        assertTrue(run("memorize", "--data", dup.toString(), "--labels", f[1].toString(), "--save-model",
                model.toString()).err().contains("identical"));
        assertFalse(Files.exists(model), "no model is written on bad input");
    }
}
