package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.inputError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {

    /** Three records: labels 3, 0, 9; pixel p of record r is (r * 7 + p) mod 256. */
    static byte[] threeRecords() {
        byte[] b = new byte[3 * Cifar10.RECORD];
        int[] labels = {3, 0, 9};
        for (int r = 0; r < 3; r++) {
            b[r * Cifar10.RECORD] = (byte) labels[r];
            for (int p = 0; p < Cifar10.PIXELS; p++) {
                b[r * Cifar10.RECORD + 1 + p] = (byte) ((r * 7 + p) % 256);
            }
        }
        return b;
    }

    @Test
    void readsRecords(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, threeRecords());
        Cifar10.Batch b = Cifar10.read(f);
        assertArrayEquals(new int[] {3, 3072}, b.images().shape());
        assertArrayEquals(new double[] {3, 0, 9}, b.labels().data());
        assertEquals(255, b.images().get(0, 255));
        assertEquals((2 * 7 + 3071) % 256, b.images().get(2, 3071));
        Cifar10.Batch two = Cifar10.readAll(List.of(f, f));
        assertEquals(6, two.n());
        assertArrayEquals(new double[] {3, 0, 9, 3, 0, 9}, two.labels().data());
    }

    @Test
    void rejectsWrongSizesAndLabels() {
        byte[] b = threeRecords();
        String m = inputError(() -> Cifar10.read(Arrays.copyOf(b, b.length - 1), "cut.bin"));
        assertTrue(m.contains("multiple of 3073"), m);
        inputError(() -> Cifar10.read(new byte[0], "empty.bin"));
        byte[] bad = b.clone();
        bad[Cifar10.RECORD] = 42;
        String m2 = inputError(() -> Cifar10.read(bad, "c100.bin"));
        assertTrue(m2.contains("record 1 has label 42"), m2);
        inputError(() -> Cifar10.read(Path.of("no-such-batch.bin")));
    }
}
