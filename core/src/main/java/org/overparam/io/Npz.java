package org.overparam.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.overparam.InputError;

/**
 * Reads and writes numpy {@code .npz} archives: a zip file whose entries {@code name.npy} are
 * {@link Npy} files (numpy's {@code savez} stores them, {@code savez_compressed} deflates them; see
 * {@code numpy/lib/_npyio_impl.py}). Arrays are keyed by the entry name without {@code .npy}, in archive
 * order. Entries that are not {@code .npy} files are refused rather than silently skipped: numpy itself
 * would hand them back as raw bytes, which cannot be a numeric array.
 *
 * <p>Writing produces a stored (uncompressed) archive, as {@code numpy.savez} does; {@code numpy.load}
 * reads it.
 */
public final class Npz {

    private Npz() {
    }

    /** Reads every array of an .npz file, in archive order. */
    public static LinkedHashMap<String, NdArray> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + Json.oneLine(e) + "); check the path", e);
        }
    }

    /** Reads every array of an .npz archive given as bytes. */
    public static LinkedHashMap<String, NdArray> read(byte[] bytes, String name) {
        return read(new ByteArrayInputStream(bytes), name);
    }

    /** Reads every array of an .npz archive from a stream. */
    public static LinkedHashMap<String, NdArray> read(InputStream raw, String name) {
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(raw);
        while (true) {
            ZipEntry e = nextEntry(zip, name);
            if (e == null) {
                break;
            }
            if (e.isDirectory()) {
                continue;
            }
            String entry = e.getName();
            if (!entry.endsWith(".npy")) {
                throw new InputError(name + ": entry '" + printable(entry) + "' is not a .npy array; "
                        + "an .npz must contain only arrays saved with numpy.savez");
            }
            String key = entry.substring(0, entry.length() - 4);
            if (out.containsKey(key)) {
                throw new InputError(name + ": array '" + printable(key) + "' appears twice; rewrite the archive "
                        + "with numpy.savez");
            }
            String where = name + "/" + printable(entry);
            NdArray a;
            try {
                a = Npy.read(new GuardedStream(zip, where), where, e.getSize());
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException ex) {
                throw corrupt(name, ex);
            }
            out.put(key, a);
        }
        if (out.isEmpty()) {
            throw new InputError(name + ": not an .npz archive or it holds no arrays; save arrays with numpy.savez");
        }
        return out;
    }

    /** Writes arrays (as float64 .npy entries, stored) in the map's order. */
    public static void write(Map<String, NdArray> arrays, Path file) throws IOException {
        Files.write(file, toBytes(arrays));
    }

    /** The bytes of a stored .npz archive holding {@code arrays} in order. */
    public static byte[] toBytes(Map<String, NdArray> arrays) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, NdArray> kv : arrays.entrySet()) {
                byte[] npy = Npy.toBytes(kv.getValue());
                ZipEntry e = new ZipEntry(kv.getKey() + ".npy");
                e.setMethod(ZipEntry.STORED);
                e.setSize(npy.length);
                e.setCompressedSize(npy.length);
                CRC32 crc = new CRC32();
                crc.update(npy);
                e.setCrc(crc.getValue());
                e.setTime(315532800000L + 12 * 3600_000L); // fixed 1980-01-01 timestamp: reproducible bytes
                zip.putNextEntry(e);
                zip.write(npy);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static ZipEntry nextEntry(ZipInputStream zip, String name) {
        try {
            return zip.getNextEntry();
        } catch (IOException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            throw corrupt(name, e);
        }
    }

    static InputError corrupt(String name, Exception e) {
        return new InputError(name + ": not a valid .npz (zip) archive (" + Json.oneLine(e)
                + "); re-create it with numpy.savez", e);
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    /** Turns the zip layer's unchecked exceptions on corrupt data into IOExceptions that Npy reports. */
    private static final class GuardedStream extends InputStream {
        private final InputStream in;
        private final String where;

        GuardedStream(InputStream in, String where) {
            this.in = in;
            this.where = where;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                throw new IOException(where + " is corrupt: " + Json.oneLine(e), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                throw new IOException(where + " is corrupt: " + Json.oneLine(e), e);
            }
        }
    }
}
