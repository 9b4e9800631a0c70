package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.NPY;
import static org.overparam.io.Fixtures.assertSameArray;
import static org.overparam.io.Fixtures.inputError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {

    @ParameterizedTest
    @ValueSource(strings = {"stored.npz", "compressed.npz"})
    void readsSavezAndSavezCompressed(String name) {
        Map<String, NdArray> m = Npz.read(NPY.resolve(name));
        assertEquals(List.of("weights", "bias"), List.copyOf(m.keySet()));
        assertSameArray(Fixtures.expected(name + ":weights"), m.get("weights"));
        assertSameArray(Fixtures.expected(name + ":bias"), m.get("bias"));
    }

    @Test
    void roundTripKeepsOrder(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("z", NdArray.of(new double[] {1, 2, 3, 4}, 2, 2));
        m.put("a", NdArray.of(new double[] {-1}));
        m.put("m", NdArray.vector(0.5, 0.25));
        Path f = dir.resolve("x.npz");
        Npz.write(m, f);
        LinkedHashMap<String, NdArray> back = Npz.read(f);
        assertEquals(m, back);
        assertEquals(List.of("z", "a", "m"), List.copyOf(back.keySet()));
    }

    @Test
    void writtenEntriesAreNumpyNpyBytes() {
        // the entry payload is exactly what numpy.save writes, so numpy.load reads it
        NdArray a = Npy.read(NPY.resolve("written_2d.npy"));
        byte[] zip = Npz.toBytes(Map.of("a", a));
        byte[] npy = Fixtures.bytes(NPY.resolve("written_2d.npy"));
        assertTrue(indexOf(zip, npy) > 0);
    }

    @Test
    void notAZip() {
        String m = inputError(() -> Npz.read("definitely not a zip".getBytes(), "x.npz"));
        assertTrue(m.startsWith("x.npz:"), m);
        inputError(() -> Npz.read(new byte[0], "empty.npz"));
        inputError(() -> Npz.read(Fixtures.bytes(NPY.resolve("f8_le.npy")), "npy-as.npz"));
    }

    @Test
    void corruptEntry() {
        byte[] z = Fixtures.bytes(NPY.resolve("compressed.npz")).clone();
        for (int i = 60; i < 120; i++) {
            z[i] ^= 0x5A;
        }
        inputError(() -> Npz.read(z, "corrupt.npz"));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
