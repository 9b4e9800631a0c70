package org.overparam.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.overparam.InputError;

/**
 * Reads and writes the safetensors format (Hugging Face, https://github.com/huggingface/safetensors,
 * "Format" section of its README): an unsigned 64-bit little-endian header length N, N bytes of UTF-8
 * JSON {@code {"name": {"dtype": "F64", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"k": "v"}}}, then the byte buffer; offsets are relative to the start of the buffer
 * and all data is little-endian.
 *
 * <p>Validation follows the reference implementation: the header must be a JSON object, at most
 * {@value #MAX_HEADER} bytes and within the file; the tensors, sorted by offset, must tile the buffer
 * exactly (no overlap, no hole, nothing out of range); each tensor's byte length must equal
 * product(shape) × dtype size; metadata values must be strings. Readable dtypes: F64, F32, F16, BF16,
 * I64, I32, I16, I8, U64, U32, U16, U8, BOOL. Writing produces F64 only, tensors in the given order in
 * both header and buffer, {@code __metadata__} first, header padded with spaces to a multiple of 8 bytes
 * as the reference writer does.
 */
public final class Safetensors {

    /** The reference implementation's header limit (100 MB). */
    static final long MAX_HEADER = 100_000_000L;

    /**
     * The contents of a safetensors file.
     *
     * @param tensors  tensors in order of their data offset
     * @param metadata the {@code __metadata__} string map (empty if absent)
     */
    public record Contents(LinkedHashMap<String, NdArray> tensors, Map<String, String> metadata) {
    }

    private Safetensors() {
    }

    /** Reads a safetensors file. */
    public static Contents read(Path file) {
        return Bytes.readFile(file, Safetensors::read);
    }

    /** Reads safetensors bytes. */
    public static Contents read(byte[] bytes, String name) {
        return read(new ByteArrayInputStream(bytes), name, bytes.length);
    }

    private record Entry(String name, ElementType type, int[] shape, long begin, long end) {
    }

    static Contents read(InputStream in, String name, long totalSize) {
        String redo = "; re-save the tensors with safetensors.save_file";
        byte[] lb = Bytes.readExactly(in, 8, name, got -> name + ": not a safetensors file (only " + got
                + " bytes, shorter than the 8-byte header length)" + redo);
        long n = ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER) {
            throw new InputError(name + ": safetensors header length " + Long.toUnsignedString(n)
                    + " exceeds the 100 MB limit; the file is not safetensors or is corrupt" + redo);
        }
        if (totalSize >= 0 && n > totalSize - 8) {
            throw new InputError(name + ": truncated — safetensors header length is " + n + " bytes but only "
                    + (totalSize - 8) + " follow" + redo);
        }
        byte[] hb = Bytes.readExactly(in, n, name, got -> name + ": truncated — safetensors header length is "
                + n + " bytes but only " + got + " follow" + redo);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(hb)).toString();
        } catch (CharacterCodingException e) {
            throw new InputError(name + ": safetensors header is not valid UTF-8" + redo, e);
        }
        if (!text.startsWith("{")) {
            throw new InputError(name + ": safetensors header does not start with '{'; not a safetensors file"
                    + redo);
        }
        Map<String, Object> header = Json.parseObject(text.stripTrailing(), name + " (safetensors header)");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> kv : header.entrySet()) {
            String key = Npz.printable(kv.getKey());
            if (kv.getKey().equals("__metadata__")) {
                if (!(kv.getValue() instanceof Map<?, ?> meta)) {
                    throw new InputError(name + ": __metadata__ must be an object of strings" + redo);
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String v)) {
                        throw new InputError(name + ": __metadata__ value for '" + Npz.printable((String) m.getKey())
                                + "' is not a string" + redo);
                    }
                    metadata.put((String) m.getKey(), v);
                }
                continue;
            }
            if (!(kv.getValue() instanceof Map<?, ?> info)) {
                throw new InputError(name + ": tensor '" + key + "' is not described by an object" + redo);
            }
            if (!info.keySet().equals(java.util.Set.of("dtype", "shape", "data_offsets"))) {
                throw new InputError(name + ": tensor '" + key + "' must have exactly dtype, shape, data_offsets"
                        + redo);
            }
            ElementType type = dtype(info.get("dtype"), name, key);
            int[] shape = intList(info.get("shape"), name, key, "shape", -1);
            long[] off = longPair(info.get("data_offsets"), name, key);
            entries.add(new Entry(kv.getKey(), type, shape, off[0], off[1]));
        }

        long bufferSize = totalSize >= 0 ? totalSize - 8 - n : -1;
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expect = 0;
        for (Entry e : entries) {
            String key = Npz.printable(e.name);
            if (e.begin != expect || e.end < e.begin) {
                throw new InputError(name + ": tensor '" + key + "' has data_offsets [" + e.begin + ", " + e.end
                        + "] that overlap, leave a gap or run backwards (expected to start at " + expect + ")"
                        + redo);
            }
            long count = NdArray.product(e.shape);
            long bytes = NdArray.multiplySaturating(count, e.type.size);
            if (bytes != e.end - e.begin) {
                throw new InputError(name + ": tensor '" + key + "' has shape " + Arrays.toString(e.shape) + " "
                        + e.type + " (" + (bytes == Long.MAX_VALUE ? "over 2^63" : bytes)
                        + " bytes) but data_offsets span " + (e.end - e.begin) + " bytes" + redo);
            }
            if (bufferSize >= 0 && e.end > bufferSize) {
                throw new InputError(name + ": truncated — tensor '" + key + "' ends at byte " + e.end
                        + " of the data buffer but only " + bufferSize + " bytes follow the header" + redo);
            }
            if (bytes > Bytes.MAX_ARRAY) {
                throw new InputError(name + ": tensor '" + key + "' is " + bytes
                        + " bytes, too large for one array here; split it" + redo);
            }
            expect = e.end;
        }
        if (bufferSize >= 0 && expect != bufferSize) {
            throw new InputError(name + ": the tensors cover " + expect + " bytes but the data buffer has "
                    + bufferSize + "; the file is corrupt" + redo);
        }

        LinkedHashMap<String, NdArray> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            String key = Npz.printable(e.name);
            long len = e.end - e.begin;
            byte[] raw = Bytes.readExactly(in, len, name, got -> name + ": truncated — tensor '" + key
                    + "' needs " + len + " bytes but only " + got + " follow" + redo);
            double[] values = new double[raw.length / e.type.size];
            e.type.decode(raw, 0, ByteOrder.LITTLE_ENDIAN, values);
            tensors.put(e.name, new NdArray(e.shape, values));
        }
        if (totalSize < 0) {
            try {
                if (in.read() >= 0) {
                    throw new InputError(name + ": bytes follow the last tensor; the file is corrupt" + redo);
                }
            } catch (IOException ex) {
                throw new InputError(name + ": cannot read (" + Json.oneLine(ex) + ")" + redo, ex);
            }
        }
        return new Contents(tensors, Collections.unmodifiableMap(metadata));
    }

    private static ElementType dtype(Object o, String name, String key) {
        String d = o instanceof String s ? s : String.valueOf(o);
        return switch (d) {
            case "F64" -> ElementType.F64;
            case "F32" -> ElementType.F32;
            case "F16" -> ElementType.F16;
            case "BF16" -> ElementType.BF16;
            case "I64" -> ElementType.I64;
            case "I32" -> ElementType.I32;
            case "I16" -> ElementType.I16;
            case "I8" -> ElementType.I8;
            case "U64" -> ElementType.U64;
            case "U32" -> ElementType.U32;
            case "U16" -> ElementType.U16;
            case "U8" -> ElementType.U8;
            case "BOOL" -> ElementType.BOOL;
            default -> throw new InputError(name + ": tensor '" + key + "' has unsupported dtype '"
                    + Npz.printable(d) + "' (readable: F64 F32 F16 BF16 I64 I32 I16 I8 U64 U32 U16 U8 BOOL); "
                    + "convert it before saving");
        };
    }

    private static int[] intList(Object o, String name, String key, String field, int len) {
        if (!(o instanceof List<?> l) || (len >= 0 && l.size() != len)) {
            throw new InputError(name + ": tensor '" + key + "' " + field + " must be a list of integers; "
                    + "re-save the tensors with safetensors.save_file");
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new InputError(name + ": tensor '" + key + "' " + field + " entry " + Npz.printable(String.valueOf(l.get(i)))
                        + " is not an integer in [0, 2^31); re-save the tensors with safetensors.save_file");
            }
            out[i] = (int) (long) v;
        }
        return out;
    }

    private static long[] longPair(Object o, String name, String key) {
        if (!(o instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Long b) || !(l.get(1) instanceof Long e)
                || b < 0 || e < 0) {
            throw new InputError(name + ": tensor '" + key + "' data_offsets must be [begin, end] non-negative "
                    + "integers; re-save the tensors with safetensors.save_file");
        }
        return new long[] {b, e};
    }

    /** Writes tensors as F64 in the given order, with optional string metadata. */
    public static void write(Map<String, NdArray> tensors, Map<String, String> metadata, Path file)
            throws IOException {
        Files.write(file, toBytes(tensors, metadata));
    }

    /** The bytes of a safetensors file holding {@code tensors} as F64 in the given order. */
    public static byte[] toBytes(Map<String, NdArray> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, NdArray> kv : tensors.entrySet()) {
            if (kv.getKey().equals("__metadata__")) {
                throw new InputError("a tensor cannot be named __metadata__; rename it");
            }
            NdArray a = kv.getValue();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F64");
            info.put("shape", a.shape());
            long end = offset + 8L * a.size();
            info.put("data_offsets", new long[] {offset, end});
            header.put(kv.getKey(), info);
            offset = end;
        }
        byte[] json = Json.writeCompact(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (NdArray a : tensors.values()) {
            for (double d : a.data()) {
                buf.putDouble(d);
            }
        }
        return buf.array();
    }
}
