package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.NPY;
import static org.overparam.io.Fixtures.assertSameArray;
import static org.overparam.io.Fixtures.inputError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {

    @ParameterizedTest
    @ValueSource(strings = {"f2_le.npy", "f2_be.npy", "f4_le.npy", "f4_be.npy", "f8_le.npy", "f8_be.npy",
        "i1.npy", "i2_le.npy", "i2_be.npy", "i4_le.npy", "i4_be.npy", "i8_le.npy", "i8_be.npy",
        "u1.npy", "u2_le.npy", "u2_be.npy", "u4_le.npy", "u4_be.npy", "u8_le.npy", "u8_be.npy", "b1.npy",
        "fortran_f8.npy", "fortran_i4_be.npy", "v2_f8.npy", "v3_f8.npy", "scalar.npy", "vector.npy",
        "empty.npy", "written_2d.npy", "written_1d.npy", "written_scalar.npy", "written_wide.npy",
        "written_3d.npy"})
    void readsNumpyFixtures(String name) {
        assertSameArray(Fixtures.expected(name), Npy.read(NPY.resolve(name)));
    }

    @Test
    void scalarHasEmptyShape() {
        NdArray s = Npy.read(NPY.resolve("scalar.npy"));
        assertEquals(0, s.rank());
        assertEquals(3.5, s.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"written_2d.npy", "written_1d.npy", "written_scalar.npy", "written_wide.npy",
        "written_3d.npy"})
    void writesTheSameBytesAsNumpySave(String name) {
        NdArray a = Npy.read(NPY.resolve(name));
        assertArrayEquals(Fixtures.bytes(NPY.resolve(name)), Npy.toBytes(a));
    }

    @Test
    void writtenDataStartsOn64ByteBoundary() {
        for (int[] shape : new int[][] {{}, {3}, {2, 3}, {1, 2, 3, 4, 5, 6, 7}}) {
            NdArray a = NdArray.of(new double[(int) NdArray.product(shape)], shape);
            byte[] b = Npy.toBytes(a);
            assertEquals(0, (b.length - 8 * a.size()) % 64, Arrays.toString(shape));
        }
    }

    @Test
    void roundTripThroughFile(@TempDir Path dir) throws IOException {
        NdArray a = NdArray.of(new double[] {1, -2.5, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, 0},
                2, 3);
        Path f = dir.resolve("a.npy");
        Npy.write(a, f);
        assertEquals(a, Npy.read(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"refused_object.npy", "refused_complex.npy", "refused_string.npy",
        "refused_structured.npy"})
    void refusesNonNumericDtypes(String name) {
        String m = inputError(() -> Npy.read(NPY.resolve(name)));
        assertTrue(m.contains("refused (never unpickled)") && m.contains("allow_pickle=False"), m);
        assertTrue(m.startsWith(name), m);
    }

    @Test
    void truncatedDataIsNamedWithSizes() {
        byte[] full = Fixtures.bytes(NPY.resolve("f8_le.npy"));
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        String m = inputError(() -> Npy.read(cut, "X.npy"));
        assertTrue(m.startsWith("X.npy: truncated — header says 2×3 float64 (48 bytes) but only 43 bytes follow"),
                m);
        assertTrue(m.contains("numpy.save"), m);
    }

    @Test
    void hugeClaimFailsBeforeAllocating() {
        byte[] npy = header("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }");
        String m = inputError(() -> Npy.read(npy, "big.npy"));
        assertTrue(m.contains("too large") || m.contains("truncated"), m);
        byte[] overflow = header("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, "
                + "2147483647), }");
        inputError(() -> Npy.read(overflow, "overflow.npy"));
        byte[] smallClaim = header("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 784), }");
        String m2 = inputError(() -> Npy.read(new java.io.ByteArrayInputStream(smallClaim), "s.npy"));
        assertTrue(m2.contains("1000×784 float32 (3136000 bytes) but only 0 bytes follow"), m2);
    }

    @Test
    void headerIsParsedStrictly() {
        String[] bad = {
            "{'descr': '<f8', 'fortran_order': False}",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'extra': 1}",
            "{'descr': '<f8', 'fortran_order': 0, 'shape': (3,)}",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3)}",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,)}",
            "{'descr': '<f8', 'fortran_order': False, 'shape': [3]}",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), } junk",
            "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,)}",
            "['descr']",
            "{'descr': '<x9', 'fortran_order': False, 'shape': (3,)}",
        };
        for (String h : bad) {
            inputError(() -> Npy.read(header(h), "bad.npy"));
        }
    }

    @Test
    void acceptsNumpyHeaderVariants() {
        byte[] npy = withData(header("{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f8\"}"), 16);
        assertEquals(2, Npy.read(npy, "ok.npy").size());
    }

    @Test
    void notNpy() {
        String m = inputError(() -> Npy.read("hello world".getBytes(StandardCharsets.US_ASCII), "t.npy"));
        assertTrue(m.contains("not a .npy file"), m);
        inputError(() -> Npy.read(new byte[3], "short.npy"));
        inputError(() -> Npy.read(Path.of("does-not-exist.npy")));
    }

    @Test
    void fortranToCMatchesIndexing() {
        // F-order values of a 2×3: column by column
        double[] f = {0, 3, 1, 4, 2, 5};
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, Npy.fortranToC(f, new int[] {2, 3}));
    }

    static byte[] header(String dict) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length];
        byte[] pre = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)};
        System.arraycopy(pre, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }

    static byte[] withData(byte[] header, int n) {
        return Arrays.copyOf(header, header.length + n);
    }

    @Test
    void writeToTempFileIsReadableAgain(@TempDir Path dir) throws IOException {
        NdArray a = NdArray.of(new double[70000], 70000);
        Path f = dir.resolve("big.npy");
        Npy.write(a, f);
        assertEquals(a, Npy.read(f));
        assertEquals(128 + 8 * 70000, Files.size(f));
    }
}
