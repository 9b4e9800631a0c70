package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.IDX;
import static org.overparam.io.Fixtures.assertSameArray;
import static org.overparam.io.Fixtures.inputError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {

    static final Path MNIST = Path.of("../../shared/data/mnist");

    @ParameterizedTest
    @ValueSource(strings = {"tiny-images-idx3-ubyte", "tiny-labels-idx1-ubyte", "tiny-images-idx3-ubyte.gz",
        "signed-idx1-byte", "short-idx2-short", "int-idx1-int", "float-idx1-float", "double-idx2-double"})
    void readsCommittedFixtures(String name) {
        assertSameArray(Fixtures.expected("idx/" + name), Idx.read(IDX.resolve(name)));
    }

    @Test
    void gzipIsDetectedByContentNotName() {
        byte[] gz = Fixtures.bytes(IDX.resolve("tiny-images-idx3-ubyte.gz"));
        assertEquals(Idx.read(IDX.resolve("tiny-images-idx3-ubyte")), Idx.read(gz, "no-suffix"));
    }

    @Test
    void sizeMismatch() {
        byte[] raw = Fixtures.bytes(IDX.resolve("tiny-images-idx3-ubyte"));
        String m = inputError(() -> Idx.read(Arrays.copyOf(raw, raw.length - 1), "cut-idx3"));
        assertTrue(m.startsWith("cut-idx3: truncated"), m);
        inputError(() -> Idx.read(Arrays.copyOf(raw, raw.length + 1), "long-idx3"));
        byte[] huge = raw.clone();
        huge[4] = (byte) 0x7f;
        inputError(() -> Idx.read(huge, "huge-idx3"));
        byte[] badType = raw.clone();
        badType[2] = 0x0A;
        inputError(() -> Idx.read(badType, "type-idx3"));
        byte[] gz = Fixtures.bytes(IDX.resolve("tiny-images-idx3-ubyte.gz"));
        inputError(() -> Idx.read(Arrays.copyOf(gz, gz.length - 12), "cut.gz"));
    }

    @Test
    void mnistTestSet() {
        Path images = MNIST.resolve("t10k-images-idx3-ubyte.gz");
        Path labels = MNIST.resolve("t10k-labels-idx1-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(images) && Files.exists(labels), "MNIST test set not present");
        NdArray x = Idx.read(images);
        NdArray y = Idx.read(labels);
        assertArrayEquals(new int[] {10000, 28, 28}, x.shape());
        assertArrayEquals(new int[] {10000}, y.shape());
        assertArrayEquals(new double[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(y.data(), 10));
        int[] counts = new int[10];
        for (double v : y.data()) {
            counts[(int) v]++;
        }
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
        double max = Arrays.stream(x.data()).max().orElseThrow();
        double min = Arrays.stream(x.data()).min().orElseThrow();
        assertEquals(255, max);
        assertEquals(0, min);
    }
}
