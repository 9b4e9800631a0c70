package org.overparam.experiment;

import java.util.Map;
import java.util.function.Function;
import org.overparam.InputError;

/**
 * Reads the fields of a flat configuration map (config.json's and a sweep spec's snake_case keys) into typed
 * values, each field once: a missing key takes {@link ConfigField#defaultText}, a present null means "not
 * given", and a wrong type or unparsable text is a {@link ConfigError} naming the field.
 */
final class ConfigReader {
    private final Map<String, Object> map;

    ConfigReader(Map<String, Object> map) {
        for (String key : map.keySet()) {
            if (ConfigField.ofKey(key) == null) {
                throw new InputError("unknown key '" + key + "'; is this an overparam config.json?");
            }
        }
        this.map = map;
    }

    private Object raw(ConfigField f) {
        return map.containsKey(f.key) ? map.get(f.key) : f.defaultText;
    }

    String text(ConfigField f) {
        Object v = raw(f);
        return v == null ? null : v.toString();
    }

    /** Text parsed by {@code parser} (its input errors are reported under the field); null stays null. */
    <T> Parsed<T> parsed(ConfigField f, Function<String, T> parser) {
        String t = text(f);
        if (t == null) {
            return null;
        }
        try {
            return Parsed.of(t, parser);
        } catch (ConfigError e) {
            throw e;
        } catch (InputError e) {
            throw new ConfigError(f, e.getMessage());
        }
    }

    /** A text that must be given (a null would have no meaning, e.g. a loss). */
    <T> Parsed<T> required(ConfigField f, Function<String, T> parser) {
        Parsed<T> p = parsed(f, parser);
        if (p == null) {
            throw new ConfigError(f, "must not be null");
        }
        return p;
    }

    double real(ConfigField f) {
        Object v = nonNull(f);
        try {
            return v instanceof String s ? Double.parseDouble(s) : ((Number) v).doubleValue();
        } catch (ClassCastException | NumberFormatException e) {
            throw wrongType(f, v);
        }
    }

    long whole(ConfigField f) {
        return whole(f, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    int integer(ConfigField f) {
        return (int) whole(f, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    boolean flag(ConfigField f) {
        Object v = nonNull(f);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s); // the defaults table writes flags as text
        }
        throw wrongType(f, v);
    }

    private Object nonNull(ConfigField f) {
        Object v = raw(f);
        if (v == null) {
            throw new ConfigError(f, "must not be null");
        }
        return v;
    }

    /**
     * A whole number within [lo, hi], exactly: 4294967297 for an int, 1.2e29 for a long or 2.5 for either is refused
     * instead of wrapping, saturating or truncating (issue 11).
     */
    private long whole(ConfigField f, long lo, long hi) {
        Object o = nonNull(f);
        if (o instanceof String s) {
            try {
                o = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw wrongType(f, o);
            }
        }
        if (!(o instanceof Number v)) {
            throw wrongType(f, o);
        }
        boolean ok;
        long r;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            r = v.longValue();
            ok = true;
        } else if (v instanceof java.math.BigInteger b) {
            ok = b.bitLength() < 64;
            r = b.longValue();
        } else {
            double d = v.doubleValue();
            // 2^63 is the first double past Long.MAX_VALUE; below it, a whole double converts exactly
            ok = d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63;
            r = (long) d;
        }
        if (!ok || r < lo || r > hi) {
            throw new ConfigError(f, "must be a whole number between " + lo + " and " + hi + ", got " + v);
        }
        return r;
    }

    private static ConfigError wrongType(ConfigField f, Object v) {
        return new ConfigError(f, "has the wrong type (" + v + ")");
    }
}
