package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.inputError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Issue 11: .npz files are read through the zip's central directory, as numpy does, and damaged ones refused. */
class NpzCentralDirectoryTest {
    private static byte[] twoArrays() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("a", NdArray.of(new double[] {1, 2, 3}, 3));
        m.put("b", NdArray.of(new double[] {-0.244}, 1));
        return Npz.toBytes(m);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int eocd(byte[] b) {
        for (int p = b.length - 22; p >= 0; p--) {
            if (le(b).getInt(p) == 0x06054b50) {
                return p;
            }
        }
        throw new AssertionError("no EOCD");
    }

    /** Offsets of the central directory entries. */
    private static int[] centrals(byte[] b) {
        int e = eocd(b);
        int n = le(b).getShort(e + 10);
        int p = le(b).getInt(e + 16);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = p;
            ByteBuffer bb = le(b);
            p += 46 + (bb.getShort(p + 28) & 0xFFFF) + (bb.getShort(p + 30) & 0xFFFF) + (bb.getShort(p + 32) & 0xFFFF);
        }
        return out;
    }

    /**
     * Junk between the first entry's data and the second local header, with the directory's offsets fixed up: a
     * local-header reader stops at the junk (and so read other arrays than numpy); the central directory finds both.
     */
    @Test
    void junkBetweenEntriesIsSkippedAsNumpySkipsIt() {
        byte[] b = twoArrays();
        int[] c = centrals(b);
        int second = le(b).getInt(c[1] + 42);
        byte[] junk = new byte[7];
        Arrays.fill(junk, (byte) 0x5a);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, second);
        System.arraycopy(junk, 0, out, second, junk.length);
        System.arraycopy(b, second, out, second + junk.length, b.length - second);
        int shift = junk.length;
        int e = eocd(out);
        le(out).putInt(e + 16, le(out).getInt(e + 16) + shift);
        int[] fixed = centrals(out);
        le(out).putInt(fixed[1] + 42, second + shift);
        assertEquals(2, fixed.length);
        LinkedHashMap<String, NdArray> m = Npz.read(out, "junk.npz");
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(m.keySet()));
        assertEquals(-0.244, m.get("b").data()[0]);
    }

    @Test
    void localAndCentralEntriesThatDisagreeAreRefused() {
        byte[] b = twoArrays();
        int[] c = centrals(b);
        int local = le(b).getInt(c[1] + 42);
        b[local + 30] = 'z'; // the local header now names z.npy, the directory b.npy
        assertTrue(inputError(() -> Npz.read(b, "tampered.npz")).contains("local header names"));
    }

    @Test
    void aFileWithItsLastByteCutOffIsRefused() {
        byte[] b = twoArrays();
        assertTrue(inputError(() -> Npz.read(Arrays.copyOf(b, b.length - 1), "cut.npz")).contains("end-of-central"));
    }

    @Test
    void memberNamesThatAreNotPlainRelativeNamesAreRefused() throws IOException {
        for (String bad : new String[] {"../../x.weight.npy", "/abs/x.npy", "a/../../b.npy", "c:\\\\w.npy"}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(bytes)) {
                z.putNextEntry(new ZipEntry(bad));
                z.write(Npy.toBytes(NdArray.of(new double[] {1}, 1)));
                z.closeEntry();
            }
            assertTrue(inputError(() -> Npz.read(bytes.toByteArray(), "evil.npz")).contains("plain relative name"), bad);
        }
    }

    /** A zip bomb's declared size is refused before inflating; an entry inflating past its declared size is refused. */
    @Test
    void sizesAreCheckedBeforeAndWhileInflating() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] npy = Npy.toBytes(NdArray.of(new double[4096], 4096));
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("w.npy")); // deflated
            z.write(npy);
            z.closeEntry();
        }
        byte[] b = bytes.toByteArray();
        int c = centrals(b)[0];
        byte[] bomb = b.clone();
        le(bomb).putInt(c + 24, 0xFFFFFFF0); // declares ~4.3 GB uncompressed
        assertTrue(inputError(() -> Npz.read(bomb, "bomb.npz")).contains("uncompressed"));
        byte[] lie = b.clone();
        le(lie).putInt(c + 24, 100); // declares 100 bytes, inflates to 32 KB
        assertTrue(inputError(() -> Npz.read(lie, "lie.npz")).contains("inflates past"));
        assertEquals(4096, Npz.read(b, "ok.npz").get("w").size());
    }
}
