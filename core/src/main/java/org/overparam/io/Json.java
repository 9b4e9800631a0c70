package org.overparam.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.overparam.InputError;

/**
 * overparam's JSON: a small, strict RFC 8259 parser (safetensors headers, our own summary.json/config.json files),
 * and writing through Jackson ({@link JsonBinding}: records, maps, lists, arrays and scalars bound to a tree) printed
 * in overparam's layout ({@link JsonLayout}).
 *
 * <p>Parsing maps objects to {@link LinkedHashMap} (key order preserved; a duplicate key is an error),
 * arrays to {@link ArrayList}, strings to {@link String}, numbers to {@link Long} when they are written
 * without fraction or exponent and fit in a long, otherwise to {@link Double}, and {@code true},
 * {@code false}, {@code null} to {@link Boolean} and {@code null}. Strict means: no comments, no trailing
 * commas, no single quotes, no leading zeros, no NaN literals, no control characters in strings, nothing
 * but whitespace after the value. Nesting is limited to {@value #MAX_DEPTH} levels so that hostile input
 * cannot overflow the stack. The parser stays hand-written: its messages (character position, what was
 * expected, the fix) and its rules (duplicate keys refused, integers as Long) are what users and tests rely on.
 *
 * <p>Writing: 2-space indentation; doubles are written with {@link Double#toString} (shortest digits
 * that round-trip); non-finite doubles, which JSON cannot represent, are written as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (the spelling Python's json module uses for
 * its non-standard literals), so that a diverged run's loss still appears in summary.json. Values: records
 * (snake_case keys), Map (keys converted with toString), Iterable, arrays, String, Number, Boolean, Character,
 * Enum (its name unless it has a {@code @JsonValue}) and null.
 */
public final class Json {

    /** Maximum nesting of arrays/objects accepted by the parser. */
    public static final int MAX_DEPTH = 256;

    private Json() {
    }

    /** Parses a JSON document; {@code source} names the input in error messages (may be null). */
    public static Object parse(String text, String source) {
        return new Parser(text, source == null ? "JSON" : source).document();
    }

    /** Parses a JSON document. */
    public static Object parse(String text) {
        return parse(text, null);
    }

    /** Parses a JSON document that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, String source) {
        Object v = parse(text, source);
        if (!(v instanceof Map)) {
            throw new InputError((source == null ? "JSON" : source)
                    + ": expected a JSON object {...} at the top level; fix the file");
        }
        return (Map<String, Object>) v;
    }

    /** Reads and parses a UTF-8 JSON file. */
    public static Object read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + oneLine(e) + "); check the path and permissions", e);
        }
        return parse(text, file.toString());
    }

    /** Pretty-prints a value with 2-space indentation (no trailing newline). */
    public static String write(Object value) {
        return JsonLayout.print(JsonBinding.tree(value), true);
    }

    /** Writes a value on one line without any whitespace (as the safetensors header is written). */
    public static String writeCompact(Object value) {
        return JsonLayout.print(JsonBinding.tree(value), false);
    }

    /** Writes a value to a UTF-8 file, followed by a newline. */
    public static void write(Object value, Path file) throws IOException {
        Files.writeString(file, write(value) + "\n", StandardCharsets.UTF_8);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        private final String s;
        private final String source;
        private int pos;
        private int depth;

        Parser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Object document() {
            skipWs();
            Object v = value();
            skipWs();
            if (pos < s.length()) {
                throw error("unexpected " + describe(pos) + " after the JSON value");
            }
            return v;
        }

        private InputError error(String what) {
            return new InputError(source + ": invalid JSON at character " + pos + ": " + what
                    + "; fix or regenerate the file");
        }

        private String describe(int p) {
            if (p >= s.length()) {
                return "end of input";
            }
            char c = s.charAt(p);
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
        }

        private void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        private Object value() {
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected a value");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected " + describe(pos) + ", expected a value");
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected " + describe(pos) + ", expected " + word);
            }
            pos += word.length();
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
        }

        private Map<String, Object> object() {
            enter();
            pos++; // {
            Map<String, Object> m = new LinkedHashMap<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                depth--;
                return m;
            }
            while (true) {
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("unexpected " + describe(pos) + ", expected a \"key\"");
                }
                int keyPos = pos;
                String key = string();
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != ':') {
                    throw error("unexpected " + describe(pos) + ", expected ':'");
                }
                pos++;
                skipWs();
                Object v = value();
                if (m.containsKey(key)) {
                    pos = keyPos;
                    throw error("duplicate key \"" + clip(key) + "\"");
                }
                m.put(key, v);
                skipWs();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else if (pos < s.length() && s.charAt(pos) == '}') {
                    pos++;
                    depth--;
                    return m;
                } else {
                    throw error("unexpected " + describe(pos) + ", expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            enter();
            pos++; // [
            List<Object> l = new ArrayList<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                depth--;
                return l;
            }
            while (true) {
                skipWs();
                l.add(value());
                skipWs();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else if (pos < s.length() && s.charAt(pos) == ']') {
                    pos++;
                    depth--;
                    return l;
                } else {
                    throw error("unexpected " + describe(pos) + ", expected ',' or ']'");
                }
            }
        }

        private String string() {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("control character U+" + String.format("%04X", (int) c)
                            + " inside a string; escape it");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int h = Character.digit(s.charAt(pos + i), 16);
                            if (h < 0) {
                                throw error("bad hex digit in \\u escape");
                            }
                            cp = cp * 16 + h;
                        }
                        pos += 4;
                        sb.append((char) cp);
                    }
                    default -> {
                        pos--;
                        throw error("invalid escape \\" + describe(pos));
                    }
                }
            }
        }

        private Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("malformed number, expected a digit");
            }
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    throw error("leading zeros are not allowed in numbers");
                }
            } else {
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("malformed number, expected a digit after '.'");
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("malformed number, expected a digit in the exponent");
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            String t = s.substring(start, pos);
            if (integral && t.length() <= 19) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException ignored) {
                    // too big for a long: fall through to double
                }
            }
            return Double.parseDouble(t); // cannot fail: the grammar was checked above
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static String clip(String k) {
            String one = k.replace('\n', ' ').replace('\r', ' ');
            return one.length() > 40 ? one.substring(0, 40) + "..." : one;
        }
    }
}
