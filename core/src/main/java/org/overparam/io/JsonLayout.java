package org.overparam.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Prints a Jackson tree as overparam has always written JSON. Pretty: 2-space indentation, {@code "key": value},
 * arrays of only numbers, booleans and nulls on one line ({@code [1.0, 2.5]}: vectors stay readable and
 * summary.json short), other arrays one element per line, {@code {}} and {@code []} when empty. Compact: no
 * whitespace at all. Doubles (and floats, widened) by {@link Double#toString} (shortest digits that round-trip);
 * NaN and infinities, which JSON cannot represent, as the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"} (Python's spelling), so that a diverged run's loss still appears; integers and big
 * numbers by their {@code toString}.
 */
final class JsonLayout {
    private JsonLayout() {
    }

    /** The text of a tree; {@code indent} is 0 for pretty, -1 for compact. */
    static String print(JsonNode node, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        value(sb, node, pretty ? 0 : -1);
        return sb.toString();
    }

    private static void value(StringBuilder sb, JsonNode v, int indent) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            sb.append("null");
        } else if (v.isTextual()) {
            quote(sb, v.textValue());
        } else if (v.isBoolean()) {
            sb.append(v.booleanValue());
        } else if (v.isDouble() || v.isFloat()) {
            number(sb, v.doubleValue());
        } else if (v.isNumber()) {
            sb.append(v.numberValue().toString());
        } else if (v.isObject()) {
            object(sb, v, indent);
        } else if (v.isArray()) {
            array(sb, v, indent);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getNodeType() + " as JSON");
        }
    }

    private static void object(StringBuilder sb, JsonNode m, int indent) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        boolean compact = indent < 0;
        sb.append(compact ? "{" : "{\n");
        Iterator<Map.Entry<String, JsonNode>> it = m.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            pad(sb, indent + 1);
            quote(sb, e.getKey());
            sb.append(compact ? ":" : ": ");
            value(sb, e.getValue(), compact ? indent : indent + 1);
            sb.append(it.hasNext() ? (compact ? "," : ",\n") : (compact ? "" : "\n"));
        }
        pad(sb, indent);
        sb.append('}');
    }

    private static void array(StringBuilder sb, JsonNode l, int indent) {
        if (l.isEmpty()) {
            sb.append("[]");
            return;
        }
        boolean flat = indent < 0;
        if (!flat) {
            flat = true;
            for (JsonNode x : l) {
                flat &= x.isNull() || x.isNumber() || x.isBoolean();
            }
        }
        if (flat) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(indent < 0 ? "," : ", ");
                }
                value(sb, l.get(i), indent);
            }
            sb.append(']');
            return;
        }
        sb.append("[\n");
        for (int i = 0; i < l.size(); i++) {
            pad(sb, indent + 1);
            value(sb, l.get(i), indent + 1);
            sb.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        pad(sb, indent);
        sb.append(']');
    }

    private static void number(StringBuilder sb, double d) {
        if (Double.isNaN(d)) {
            sb.append("\"NaN\"");
        } else if (Double.isInfinite(d)) {
            sb.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
            sb.append(Double.toString(d));
        }
    }

    private static void pad(StringBuilder sb, int indent) {
        for (int i = 0; i < indent; i++) {
            sb.append("  ");
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
