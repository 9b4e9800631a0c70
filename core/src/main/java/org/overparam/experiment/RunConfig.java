package org.overparam.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fully resolved configuration of a training run: what {@code config.json} holds, and all a run needs
 * to be repeated. Built by the CLI's options or in code; every field has the CLI's default in
 * {@link #defaults()}.
 */
public record RunConfig(
        // data
        String dataset, String data, String labels, String testDataset, String testData, String testLabels,
        double testSplit, boolean center, boolean normalize, int subsample, boolean oneHot, int classes,
        double corruptLabels, boolean shufflePixels, boolean randomPixels, boolean gaussianInputs,
        // model
        String hidden, String activation, String parameterization, double sigmaW, double sigmaB, boolean bias,
        String trainLayers, String initModel,
        // training
        String loss, String optimizer, double lr, String lrSchedule, double momentum, long steps, long epochs,
        int batch, String sampling, long seed, int recordEvery, double targetLoss, boolean stopAtFit,
        // output and machine
        String out, String saveModel, long checkpointEvery, String resume, int threads) {

    public static RunConfig defaults() {
        return new RunConfig(null, null, null, null, null, null, 0.0, false, false, 0, false, 0, 0.0, false, false,
                false, "512", "relu", "standard", 1.0, 0.0, true, "all", null, "mse", "gd", 0.1, "constant", 0.0,
                1000, 0, 128, "shuffle", 0, 10, 0.0, false, "overparam-run", null, 0, null,
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * The record's components and their config.json keys, in order, computed once: converting the 42 names by
     * regex on every {@link #fromMap} (each key checked against every name) was a measurable part of a tiny
     * sweep run.
     */
    private static final java.lang.reflect.RecordComponent[] COMPONENTS = RunConfig.class.getRecordComponents();
    private static final List<String> KEYS = java.util.Arrays.stream(COMPONENTS).map(c -> snake(c.getName())).toList();
    private static final java.util.Set<String> KEY_SET = java.util.Set.copyOf(KEYS);

    /**
     * A configuration that only says what data (and model) to load, for commands that train nothing ({@code eval},
     * {@code memorize}): no steps, no hidden layers of its own, no output folder; {@code fields} (config.json keys)
     * are the data options and whatever else the command sets.
     */
    public static RunConfig forLoading(Map<String, Object> fields, String source) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("hidden", null);
        m.put("steps", 0L);
        m.put("record_every", 1);
        m.put("out", "unused");
        m.putAll(fields);
        return defaults().with(m, source);
    }

    /** The configuration as an ordered map for config.json (nulls kept: they say "not given"). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < COMPONENTS.length; i++) {
            var c = COMPONENTS[i];
            try {
                m.put(KEYS.get(i), c.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /**
     * This configuration with some fields replaced (config.json's snake_case keys, e.g. {@code
     * Map.of("seed", 3, "corrupt_labels", 0.2)}); an unknown key or a wrong type is an {@link
     * org.overparam.InputError} naming {@code source}.
     */
    public RunConfig with(Map<String, Object> changes, String source) {
        Map<String, Object> m = toMap();
        m.putAll(changes);
        return fromMap(m, source);
    }

    /** The inverse of {@link #toMap()}: a config.json read back (missing keys take their defaults). */
    public static RunConfig fromMap(Map<String, Object> m, String source) {
        var comps = COMPONENTS;
        Object[] args = new Object[comps.length];
        RunConfig d = defaults();
        for (int i = 0; i < comps.length; i++) {
            var c = comps[i];
            String key = KEYS.get(i);
            Object v;
            try {
                v = m.containsKey(key) ? m.get(key) : c.getAccessor().invoke(d);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            Class<?> t = c.getType();
            try {
                if (v == null) {
                    if (t.isPrimitive()) {
                        throw new org.overparam.InputError(source + ": '" + key + "' must not be null");
                    }
                    args[i] = null;
                } else if (t == String.class) {
                    args[i] = v.toString();
                } else if (t == double.class) {
                    args[i] = v instanceof String s ? Double.parseDouble(s) : ((Number) v).doubleValue();
                } else if (t == long.class) {
                    args[i] = whole(source, key, (Number) v, Long.MIN_VALUE, Long.MAX_VALUE);
                } else if (t == int.class) {
                    args[i] = (int) whole(source, key, (Number) v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                } else if (t == boolean.class) {
                    args[i] = (Boolean) v;
                } else {
                    throw new IllegalStateException("unhandled type " + t);
                }
            } catch (ClassCastException | NumberFormatException e) {
                throw new org.overparam.InputError(source + ": '" + key + "' has the wrong type (" + v + ")");
            }
        }
        for (String key : m.keySet()) {
            if (!KEY_SET.contains(key)) {
                throw new org.overparam.InputError(source + ": unknown key '" + key + "'; is this an overparam config.json?");
            }
        }
        try {
            return (RunConfig) RunConfig.class.getDeclaredConstructors()[0].newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A whole number within [lo, hi], exactly: 4294967297 for an int, 1.2e29 for a long or 2.5 for either is refused
     * instead of wrapping, saturating or truncating (issue 11).
     */
    private static long whole(String source, String key, Number v, long lo, long hi) {
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
            throw new org.overparam.InputError(source + ": '" + key + "' must be a whole number between " + lo + " and "
                    + hi + ", got " + v);
        }
        return r;
    }
}
