package org.overparam.memorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.InputError;
import org.overparam.data.Dataset;
import org.overparam.data.DatasetSpec;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.ModelFile;
import org.overparam.nn.Network;
import org.overparam.nn.TrainableLayers;

/** Both constructions fit their data to 1e-8 of max|y| in float64, with the widths and counts they claim. */
class MemorizationTest {
    static final double TOL = 1e-8;

    @TempDir
    Path dir;

    static Matrix realLabels(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix y = Matrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, 3.0 * rng.nextGaussian() + 5.0);
        }
        return y;
    }

    static Matrix classLabels(int n, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix y = Matrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, rng.nextInt(classes));
        }
        return Memorization.oneHot(y);
    }

    /** The result's error, checked again independently of the library: reload the saved file and predict. */
    void assertExact(MemorizationResult r, Matrix x, Matrix y) throws Exception {
        assertTrue(r.relativeError() <= TOL, r.construction() + ": relative error " + r.relativeError());
        Path file = dir.resolve(r.construction() + ".npz");
        ModelFile.write(r.network(), file, null);
        try (Network back = ModelFile.read(file).toNetwork(List.of(Activations.RELU), TrainableLayers.ALL);
                Matrix f = back.predict(x)) {
            double max = 0;
            double scale = 0;
            for (int i = 0; i < y.rows(); i++) {
                for (int c = 0; c < y.cols(); c++) {
                    max = Math.max(max, Math.abs(f.get(i, c) - y.get(i, c)));
                    scale = Math.max(scale, Math.abs(y.get(i, c)));
                }
            }
            assertTrue(max <= TOL * scale, r.construction() + " reloaded: max error " + max);
            assertEquals(r.maxError(), max, 1e-12 * scale);
        }
        System.out.printf("%s n=%d k=%d hidden=%s max_error=%.3g relative=%.3g free=%d stored=%d%n", r.construction(),
                r.n(), y.cols(), java.util.Arrays.toString(r.hidden()), r.maxError(), r.relativeError(),
                r.freeWeights(), r.storedNumbers());
    }

    @Test
    void zhangFitsRealLabelsWithTheTheoremsCounts() throws Exception {
        int n = 200;
        int d = 10;
        Matrix x = gaussian(n, d, 1);
        Matrix y = realLabels(n, 2);
        MemorizationResult r = ZhangConstruction.fit(x, y, 0);
        assertArrayEquals(new int[] {n}, r.hidden());
        assertEquals(2L * n + d, r.freeWeights());
        assertEquals((long) n * d + 2L * n + 1, r.storedNumbers());
        assertExact(r, x, y);
    }

    @Test
    void zhangFitsClassLabelsOneOutputPerClass() throws Exception {
        Matrix x = gaussian(200, 10, 3);
        Matrix y = classLabels(200, 5, 4);
        MemorizationResult r = ZhangConstruction.fit(x, y, 0);
        assertEquals(5, r.network().widths()[2]);
        assertExact(r, x, y);
    }

    @Test
    void yunFitsRealLabelsWithWidthsOfOrderSqrtN() throws Exception {
        int n = 200;
        int d = 10;
        Matrix x = gaussian(n, d, 5);
        Matrix y = realLabels(n, 6);
        MemorizationResult r = YunConstruction.fit(x, y, 0);
        int[] h = r.hidden();
        assertEquals(2, h.length);
        assertTrue(h[0] <= 2 * Math.sqrt(n) && h[1] <= 3 * Math.sqrt(n), java.util.Arrays.toString(h));
        // O(n) weights besides the input layer.
        assertTrue(r.storedNumbers() - (long) d * h[0] <= 8L * n, "stored " + r.storedNumbers());
        assertEquals((long) d * h[0] + h[0] + (long) h[0] * h[1] + h[1] + h[1] + 1, r.storedNumbers());
        assertExact(r, x, y);
    }

    @Test
    void yunFitsClassLabelsOneOutputPerClass() throws Exception {
        Matrix x = gaussian(200, 10, 7);
        Matrix y = classLabels(200, 4, 8);
        MemorizationResult r = YunConstruction.fit(x, y, 0);
        assertEquals(4, r.network().widths()[3]);
        assertExact(r, x, y);
    }

    @Test
    void bothFitThreeHundredMnistImages() throws Exception {
        Path mnist = Path.of("../../shared/data/mnist");
        Assumptions.assumeTrue(Files.isDirectory(mnist), "no MNIST at " + mnist);
        Dataset ds = DatasetSpec.load("mnist:dir=" + mnist + ",n=300");
        Matrix x = Matrix.of(300, 784, ds.x().data());
        Matrix labels = Matrix.of(300, 1, ds.y().data());
        Matrix y = Memorization.oneHot(labels);
        assertExact(YunConstruction.fit(x, y, 0), x, y);
        assertExact(ZhangConstruction.fit(x, labels, 0), x, labels);
    }

    @Test
    void duplicateInputsWithDifferentLabelsAreRefusedEqualOnesTolerated() {
        Matrix x = gaussian(20, 3, 9);
        Matrix y = realLabels(20, 10);
        for (int j = 0; j < 3; j++) {
            x.set(7, j, x.get(3, j));
        }
        InputError e = assertThrows(InputError.class, () -> YunConstruction.fit(x, y, 0));
        assertTrue(e.getMessage().contains("identical") && !e.getMessage().contains("\n"), e.getMessage());
        assertThrows(InputError.class, () -> ZhangConstruction.fit(x, y, 0));
        y.set(7, 0, y.get(3, 0));
        MemorizationResult r = YunConstruction.fit(x, y, 0);
        assertTrue(r.relativeError() <= TOL);
        assertEquals(20, r.n());
    }

    @Test
    void tinyInputsAreFit() {
        for (int n : new int[] {1, 2, 3, 5}) {
            Matrix x = gaussian(n, 2, n);
            Matrix y = realLabels(n, n + 1);
            assertTrue(YunConstruction.fit(x, y, 0).relativeError() <= TOL, "yun n=" + n);
            assertTrue(ZhangConstruction.fit(x, y, 0).relativeError() <= TOL, "zhang n=" + n);
        }
    }
}
