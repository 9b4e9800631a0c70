package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.InputError;

/**
 * The randomization grid on a small CIFAR-10-format file written here (40 random images, labels 0..9
 * cycled): the conditions, n and seeds as asked, and a test set that no condition corrupts.
 */
class RandomizationStudyTest {
    @TempDir
    static Path cifar;

    @BeforeAll
    static void writeCifarBatch() throws IOException {
        byte[] b = new byte[40 * 3073];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 40; i++) {
            b[i * 3073] = (byte) (i % 10);
            for (int j = 1; j < 3073; j++) {
                b[i * 3073 + j] = (byte) r.nextInt(256);
            }
        }
        Files.write(cifar.resolve("test_batch.bin"), b);
    }

    static RandomizationStudy.Options options(Path dir, int n, int testN, int seeds, List<Double> ps) {
        return new RandomizationStudy.Options(dir, "cifar10", n, testN, null, "8", ps,
                new StudyTraining("relu", "sgd", 0.1, 10, 100, 5, seeds));
    }

    @Test
    void gridHasEveryConditionForEverySeed() {
        List<GridPoint> pts = new RandomizationStudy(options(cifar, 30, 10, 2, List.of(1.0, 0.5))).points();
        // p = 0 (true labels) is added; ps are sorted; then the three input randomizations
        Map<String, List<Double>> xs = pts.stream().collect(Collectors.groupingBy(GridPoint::curve,
                java.util.LinkedHashMap::new, Collectors.mapping(GridPoint::x, Collectors.toList())));
        assertEquals(List.of("corrupted labels", "shuffled pixels", "random pixels", "Gaussian inputs"),
                List.copyOf(xs.keySet()));
        assertEquals(List.of(0.0, 0.0, 0.5, 0.5, 1.0, 1.0), xs.get("corrupted labels"));
        assertEquals(12, pts.size());
        for (GridPoint p : pts) {
            RunConfig c = p.config();
            assertTrue(c.training().stopAtFit());
            assertEquals(org.overparam.train.Loss.CROSS_ENTROPY, c.training().loss().value());
            assertEquals(10, c.data().classes());
            assertEquals(100, c.training().steps());
            assertEquals(p.curve().equals("corrupted labels") ? p.x() : 0.0, c.data().corruptLabels());
            assertEquals(p.curve().equals("shuffled pixels"), c.data().shufflePixels());
            assertEquals(p.curve().equals("random pixels"), c.data().randomPixels());
            assertEquals(p.curve().equals("Gaussian inputs"), c.data().gaussianInputs());
        }
        assertEquals(List.of(0L, 1L, 0L, 1L), pts.subList(0, 4).stream().map(p -> p.config().seed()).toList());
        assertEquals(12, pts.stream().map(p -> ResultsStore.configHash(p.config())).distinct().count());
    }

    @Test
    void trainSizeIsNAndTheTestSetIsNeverCorrupted() {
        List<GridPoint> pts = new RandomizationStudy(options(cifar, 30, 10, 1, List.of(1.0))).points();
        LoadedData truth = DataLoader.load(pts.get(0).config()); // p = 0, seed 0
        assertEquals(30, truth.x().rows());
        assertEquals(10, truth.testX().rows());
        boolean trainLabelsChanged = false;
        for (GridPoint p : pts) {
            LoadedData d = DataLoader.load(p.config());
            assertEquals(30, d.x().rows(), p.curve());
            assertArrayEquals(truth.testY().toArray(), d.testY().toArray(), p.curve() + ": test labels changed");
            if (p.curve().equals("shuffled pixels")) {
                // one permutation of the columns for train and test alike: the test images' multisets of pixels
                // are kept, but not their order
                assertFalse(java.util.Arrays.equals(truth.testX().toArray(), d.testX().toArray()));
                for (int i = 0; i < 10; i++) {
                    assertArrayEquals(sortedRow(truth.testX(), i), sortedRow(d.testX(), i));
                }
            } else {
                assertArrayEquals(truth.testX().toArray(), d.testX().toArray(), p.curve() + ": test images changed");
            }
            trainLabelsChanged |= p.x() == 1.0 && !java.util.Arrays.equals(truth.y().toArray(), d.y().toArray());
        }
        assertTrue(trainLabelsChanged, "p = 1 must randomize the training labels");
    }

    static double[] sortedRow(org.overparam.linalg.Matrix m, int i) {
        double[] r = m.row(i);
        java.util.Arrays.sort(r);
        return r;
    }

    @Test
    void badOptionsAreInputErrors() {
        assertTrue(message(() -> options(cifar.resolve("nope"), 30, 10, 1, List.of(0.5))).contains("is not a folder"));
        assertTrue(message(() -> options(cifar, 30, 10, 1, List.of(1.5))).contains("not a fraction in [0, 1]"));
        assertTrue(message(() -> options(cifar, 30, 10, 1, List.of(-0.1))).contains("not a fraction in [0, 1]"));
        assertTrue(message(() -> options(cifar, 30, 10, 1, List.of())).contains("at least one"));
        assertTrue(message(() -> options(cifar, 0, 10, 1, List.of(0.5))).contains("--n must be between"));
        assertTrue(message(() -> options(cifar, 2_000_000_000, 10, 1, List.of(0.5))).contains("--n must be between"));
        assertTrue(message(() -> options(cifar, 30, 10, 0, List.of(0.5))).contains("--seeds"));
        assertTrue(message(() -> new RandomizationStudy(options(cifar, 35, 10, 1, List.of(0.5))).points())
                .contains("only 40 examples"));
    }

    static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(InputError.class, e).getMessage();
    }
}
