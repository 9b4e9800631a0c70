package org.overparam.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.overparam.InputError;

/**
 * Reads and writes numpy {@code .npy} files, following the format specification of numpy's NEP 1
 * ("A simple file format for NumPy arrays") and {@code numpy/lib/format.py}.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and minor version byte, the header length (uint16
 * little-endian in version 1.0, uint32 in 2.0 and 3.0), then a Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }} (latin-1; UTF-8 in 3.0), padded
 * with spaces and a newline, then the raw data.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0; little-, big-endian and byte-order-free ({@code |})
 * descriptors of {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1}; C and Fortran order (Fortran data is
 * transposed into C order). The header dict is parsed strictly, like numpy's own check: exactly the keys
 * {@code descr}, {@code fortran_order}, {@code shape}. Object arrays are refused and never unpickled; so
 * are structured, complex, string and datetime dtypes. Claimed sizes are checked against the bytes that
 * are actually present before anything large is allocated.
 *
 * <p>Writing always produces float64 {@code '<f8'}, C order, version 1.0 (2.0 if the header does not
 * fit in 65535 bytes) with numpy's exact header (sorted keys, 21-character growth space, padding so the
 * data starts on a 64-byte boundary). The bytes equal those of {@code numpy.save} for the same float64
 * array.
 */
public final class Npy {

    /** Largest header accepted; numpy itself refuses headers above 10000 characters by default. */
    static final int MAX_HEADER = 100_000;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ARRAY_ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private Npy() {
    }

    /** Reads a .npy file. */
    public static NdArray read(Path file) {
        return Bytes.readFile(file, Npy::read);
    }

    /** Reads a .npy array from a stream; {@code name} is used in error messages. */
    public static NdArray read(InputStream in, String name) {
        return read(in, name, -1);
    }

    /** Reads a .npy array from bytes. */
    public static NdArray read(byte[] bytes, String name) {
        return read(new ByteArrayInputStream(bytes), name, bytes.length);
    }

    /**
     * @param totalSize the total size of the input in bytes if known, else -1; lets a truncated file
     *                  be diagnosed before the data is read
     */
    static NdArray read(InputStream in, String name, long totalSize) {
        byte[] pre = Bytes.readExactly(in, 8, name, got -> name
                + ": not a .npy file (only " + got + " bytes, shorter than the 8-byte preamble); "
                + "re-export the array with numpy.save");
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre[i] != MAGIC[i]) {
                throw new InputError(name + ": not a .npy file (missing the \\x93NUMPY magic); "
                        + "save the array with numpy.save, or use the right reader for this file");
            }
        }
        int major = pre[6] & 0xFF;
        int minor = pre[7] & 0xFF;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new InputError(name + ": unsupported .npy format version " + major + "." + minor
                    + " (this reader knows 1.0, 2.0, 3.0); re-export the array with numpy.save");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = Bytes.readExactly(in, lenBytes, name, got -> name
                + ": truncated .npy file (ends inside the header length); re-export the array with numpy.save");
        long headerLen = lenBytes == 2
                ? (lb[0] & 0xFF) | (lb[1] & 0xFF) << 8
                : ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        long preamble = 8 + lenBytes;
        if (headerLen > MAX_HEADER) {
            throw new InputError(name + ": .npy header claims " + headerLen + " bytes (limit " + MAX_HEADER
                    + "); the file is malformed or not a plain numeric array — re-export it with numpy.save");
        }
        if (totalSize >= 0 && preamble + headerLen > totalSize) {
            throw new InputError(name + ": truncated .npy file — header claims " + headerLen + " bytes but only "
                    + (totalSize - preamble) + " follow; re-export the array with numpy.save");
        }
        byte[] hb = Bytes.readExactly(in, headerLen, name, got -> name + ": truncated .npy file — header claims "
                + headerLen + " bytes but only " + got + " follow; re-export the array with numpy.save");
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(header, name);

        long count = NdArray.product(h.shape);
        long needed = NdArray.multiplySaturating(count, h.type.size);
        String desc = describe(h.shape) + " " + h.type.numpyName;
        if (count > Bytes.MAX_ARRAY || needed > Bytes.MAX_ARRAY) {
            throw new InputError(name + ": header says " + desc + " (" + (needed == Long.MAX_VALUE ? "over 2^63"
                    : needed) + " bytes), too large for one array here; the file is malformed or must be split");
        }
        if (totalSize >= 0) {
            long remaining = totalSize - preamble - headerLen;
            if (needed > remaining) {
                throw new InputError(name + ": truncated — header says " + desc + " (" + needed
                        + " bytes) but only " + remaining + " bytes follow; re-export the array with numpy.save");
            }
        }
        byte[] raw = Bytes.readExactly(in, needed, name, got -> name + ": truncated — header says " + desc + " ("
                + needed + " bytes) but only " + got + " bytes follow; re-export the array with numpy.save");
        double[] values = new double[(int) count];
        h.type.decode(raw, 0, h.order, values);
        if (h.fortranOrder && h.shape.length > 1) {
            values = fortranToC(values, h.shape);
        }
        return new NdArray(h.shape, values);
    }

    /** Writes {@code a} as a float64, C-order .npy file. */
    public static void write(NdArray a, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(toBytes(a));
        }
    }

    /** Writes {@code a} as float64, C-order .npy to a stream. */
    public static void write(NdArray a, OutputStream out) throws IOException {
        out.write(toBytes(a));
    }

    /** The bytes that {@code numpy.save} writes for {@code a} as a float64 C-order array. */
    public static byte[] toBytes(NdArray a) {
        byte[] header = header(a.shape());
        ByteBuffer buf = ByteBuffer.allocate(header.length + 8 * a.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(header);
        for (double d : a.data()) {
            buf.putDouble(d);
        }
        return buf.array();
    }

    /** Magic, version, header length and the padded header dict of a float64 C-order array of this shape. */
    static byte[] header(int[] shape) {
        StringBuilder h = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': ");
        h.append(pythonTuple(shape)).append(", }");
        if (shape.length > 0) {
            h.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        }
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int hlen = header.length + 1;
        int lenBytes = 2;
        int padlen = ARRAY_ALIGN - ((MAGIC.length + 2 + lenBytes + hlen) % ARRAY_ALIGN);
        if (hlen + padlen > 0xFFFF) {
            lenBytes = 4;
            padlen = ARRAY_ALIGN - ((MAGIC.length + 2 + lenBytes + hlen) % ARRAY_ALIGN);
        }
        int total = hlen + padlen;
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 2 + lenBytes + total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) (lenBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lenBytes == 2) {
            buf.putShort((short) total);
        } else {
            buf.putInt(total);
        }
        buf.put(header);
        for (int i = 0; i < padlen; i++) {
            buf.put((byte) ' ');
        }
        buf.put((byte) '\n');
        return buf.array();
    }

    /**
     * Writes a float64 C-order array straight from a buffer of little-endian doubles (e.g. an off-heap
     * matrix), without copying it onto the heap: the same bytes {@link #write(NdArray, Path)} writes.
     */
    public static void writeFloat64(int[] shape, ByteBuffer littleEndianDoubles, Path file) throws IOException {
        long size = NdArray.product(shape);
        ByteBuffer data = littleEndianDoubles.duplicate();
        if (data.remaining() != 8 * size) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " needs " + 8 * size
                    + " bytes, buffer has " + data.remaining());
        }
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.wrap(header(shape));
            while (h.hasRemaining()) {
                ch.write(h);
            }
            while (data.hasRemaining()) {
                ch.write(data);
            }
        }
    }

    static String pythonTuple(int[] shape) {
        if (shape.length == 0) {
            return "()";
        }
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    static String describe(int[] shape) {
        if (shape.length == 0) {
            return "a scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "×").append(shape[i]);
        }
        return sb.toString();
    }

    /** Reorders Fortran-order (first index fastest) values into C order (last index fastest). */
    static double[] fortranToC(double[] f, int[] shape) {
        int r = shape.length;
        long[] fstride = new long[r];
        long s = 1;
        for (int k = 0; k < r; k++) {
            fstride[k] = s;
            s *= shape[k];
        }
        double[] c = new double[f.length];
        int[] idx = new int[r];
        long off = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = f[(int) off];
            for (int k = r - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    off += fstride[k];
                    break;
                }
                off -= fstride[k] * (idx[k] - 1);
                idx[k] = 0;
            }
        }
        return c;
    }

    // ------------------------------------------------------------------ header

    record Header(ElementType type, ByteOrder order, boolean fortranOrder, int[] shape) {
    }

    static Header parseHeader(String text, String name) {
        Map<String, Object> d = new HeaderParser(text, name).dict();
        if (!d.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new InputError(name + ": .npy header must have exactly the keys descr, fortran_order, shape but has "
                    + d.keySet() + "; re-export the array with numpy.save");
        }
        Object descr = d.get("descr");
        if (!(descr instanceof String ds)) {
            throw new InputError(name + ": structured dtype (descr is not a simple type string) — object, "
                    + "structured and record arrays are refused (never unpickled); save a numeric array with "
                    + "allow_pickle=False");
        }
        Object fo = d.get("fortran_order");
        if (!(fo instanceof Boolean fortran)) {
            throw new InputError(name + ": .npy header fortran_order must be True or False; "
                    + "re-export the array with numpy.save");
        }
        Object sh = d.get("shape");
        if (!(sh instanceof int[] shape)) {
            throw new InputError(name + ": .npy header shape must be a tuple of integers like (3, 4); "
                    + "re-export the array with numpy.save");
        }
        ByteOrder[] order = new ByteOrder[1];
        ElementType type = dtype(ds, name, order);
        return new Header(type, order[0], fortran, shape);
    }

    private static ElementType dtype(String descr, String name, ByteOrder[] order) {
        String refused = name + ": dtype '" + descr + "' is not numeric — object arrays are refused (never "
                + "unpickled); save a numeric array with allow_pickle=False";
        if (descr.length() < 2) {
            throw new InputError(refused);
        }
        char bo = descr.charAt(0);
        String code = descr.substring(1);
        switch (bo) {
            case '<' -> order[0] = ByteOrder.LITTLE_ENDIAN;
            case '>' -> order[0] = ByteOrder.BIG_ENDIAN;
            case '=', '|' -> order[0] = ByteOrder.nativeOrder();
            default -> {
                // numpy also accepts an order-free code such as 'f8'
                order[0] = ByteOrder.nativeOrder();
                code = descr;
            }
        }
        ElementType t = switch (code) {
            case "f8" -> ElementType.F64;
            case "f4" -> ElementType.F32;
            case "f2" -> ElementType.F16;
            case "i8" -> ElementType.I64;
            case "i4" -> ElementType.I32;
            case "i2" -> ElementType.I16;
            case "i1" -> ElementType.I8;
            case "u8" -> ElementType.U64;
            case "u4" -> ElementType.U32;
            case "u2" -> ElementType.U16;
            case "u1" -> ElementType.U8;
            case "b1" -> ElementType.BOOL;
            default -> null;
        };
        if (t == null) {
            throw new InputError(refused);
        }
        return t;
    }

    /**
     * A strict parser for the Python literal subset that numpy writes in headers: a dict with string
     * keys; string, True/False and tuple-of-int values; nested lists/tuples are parsed (so that structured
     * descriptors get a specific message) but not interpreted.
     */
    private static final class HeaderParser {
        private final String s;
        private final String name;
        private int pos;
        private int depth;

        HeaderParser(String s, String name) {
            this.s = s;
            this.name = name;
        }

        private InputError error(String what) {
            return new InputError(name + ": malformed .npy header (" + what + " at character " + pos
                    + "); re-export the array with numpy.save");
        }

        Map<String, Object> dict() {
            ws();
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            while (true) {
                ws();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                ws();
                expect(':');
                ws();
                Object v = value();
                if (m.containsKey(key)) {
                    throw error("duplicate key '" + key + "'");
                }
                m.put(key, v);
                ws();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    break;
                } else {
                    throw error("expected ',' or '}'");
                }
            }
            ws();
            if (pos != s.length()) {
                throw error("unexpected text after the dict");
            }
            return m;
        }

        private void ws() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\t'
                    || s.charAt(pos) == '\r' || s.charAt(pos) == '\0')) {
                pos++;
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\uFFFF';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                return list();
            }
            if (c >= '0' && c <= '9' || c == '-') {
                return integer();
            }
            throw error("unexpected value");
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error("expected a quoted string");
            }
            pos++;
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != q) {
                if (s.charAt(pos) == '\\' || s.charAt(pos) < 0x20) {
                    throw error("unsupported character in string");
                }
                pos++;
            }
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            return s.substring(start, pos++);
        }

        private Long integer() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++; // Python 2 long literal, as numpy's header filter accepts
            }
            String t = s.substring(start, pos).replace("L", "").replace("l", "");
            if (t.isEmpty() || t.equals("-") || t.length() > 18) {
                throw error("bad or too large integer '" + clip(t) + "'");
            }
            return Long.parseLong(t);
        }

        /** A tuple of ints becomes int[]; anything else in parentheses is kept as a List. */
        private Object tuple() {
            List<Object> items = sequence('(', ')');
            int[] dims = new int[items.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!(items.get(i) instanceof Long l)) {
                    return items;
                }
                if (l < 0 || l > Integer.MAX_VALUE) {
                    throw error("shape dimension " + l + " is negative or too large");
                }
                dims[i] = (int) (long) l;
            }
            if (items.size() == 1 && !lastHadComma) {
                throw error("a one-element shape must be written (n,)");
            }
            return dims;
        }

        private boolean lastHadComma;

        private List<Object> list() {
            return sequence('[', ']');
        }

        private List<Object> sequence(char open, char close) {
            if (++depth > 32) {
                throw error("nesting too deep");
            }
            expect(open);
            List<Object> items = new ArrayList<>();
            boolean comma = false;
            while (true) {
                ws();
                if (peek() == close) {
                    pos++;
                    break;
                }
                items.add(value());
                ws();
                comma = false;
                if (peek() == ',') {
                    pos++;
                    comma = true;
                } else if (peek() == close) {
                    pos++;
                    break;
                } else {
                    throw error("expected ',' or '" + close + "'");
                }
            }
            depth--;
            lastHadComma = comma;
            return items;
        }

        private static String clip(String t) {
            return t.length() > 20 ? t.substring(0, 20) + "..." : t;
        }
    }
}
