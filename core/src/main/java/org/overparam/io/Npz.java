package org.overparam.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
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
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new InputError(file + ": " + size + " bytes is more than an .npz read here can hold (2 GB); "
                        + "save the arrays in several files");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + Json.oneLine(e) + "); check the path", e);
        }
        return read(bytes, file.getFileName().toString());
    }

    /** Reads every array of an .npz archive from a stream (read to its end first). */
    public static LinkedHashMap<String, NdArray> read(InputStream raw, String name) {
        try {
            return read(raw.readAllBytes(), name);
        } catch (IOException e) {
            throw new InputError(name + ": cannot read (" + Json.oneLine(e) + ")", e);
        }
    }

    /**
     * Reads every array of an .npz archive given as bytes, through its central directory, as numpy's zipfile does
     * (a reader of the local headers stops at junk between entries and so could read other arrays than numpy from
     * the same file: issue 11). Every central entry's local header must name the same member; names must be plain
     * relative names; the declared sizes are checked against memory before anything is inflated, and an entry
     * that inflates past its declared size or fails its CRC is refused.
     */
    public static LinkedHashMap<String, NdArray> read(byte[] bytes, String name) {
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        List<ZipDirectory.Entry> entries = ZipDirectory.read(bytes, name);
        long declared = 0;
        for (ZipDirectory.Entry e : entries) {
            declared += e.size();
        }
        long budget = Runtime.getRuntime().maxMemory() / 4;
        if (declared > budget) {
            throw new InputError(String.format(java.util.Locale.ROOT, "%s: the archive's arrays take %.3g GB "
                    + "uncompressed, more than %.3g GB (a quarter of the heap) that a read may use; split the file or "
                    + "raise -Xmx", name, declared / 1e9, budget / 1e9));
        }
        for (ZipDirectory.Entry e : entries) {
            String entry = e.name();
            if (entry.endsWith("/")) {
                continue;
            }
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
            byte[] data = ZipDirectory.contents(bytes, e, where);
            out.put(key, Npy.read(data, where));
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
}
