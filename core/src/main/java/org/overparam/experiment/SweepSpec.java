package org.overparam.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.overparam.InputError;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A sweep: the train options every run shares ({@code base:}, RunConfig's snake_case keys), a grid of
 * values to cross ({@code grid:} key → non-empty list) and optional summary {@code metrics:} to print per
 * run. {@link #expand(Path)} gives the Cartesian product as fully resolved {@link RunConfig}s, each on one
 * thread and with its own output folder {@code DIR/<config hash prefix>}.
 *
 * <pre>
 * base:
 *   dataset: "sphere:n=20,d=5"
 *   steps: 50
 *   lr: 0.5
 * grid:
 *   hidden: ["32", "64"]
 *   seed: [0, 1]
 * metrics: [final_loss, distance_from_init]
 * </pre>
 */
public record SweepSpec(Map<String, Object> base, Map<String, List<Object>> grid, List<String> metrics) {
    /** Keys a sweep sets itself: the per-run folder and one BLAS thread per run. */
    static final Set<String> RESERVED = Set.of("out", "threads");
    /** Summary keys that {@code metrics:} may name. */
    public static final List<String> KNOWN_METRICS = List.of("status", "initial_loss", "final_loss",
            "initial_grad_norm_sq", "last_recorded_grad_norm_sq", "distance_from_init", "relative_distance_from_init",
            "final_train_accuracy", "final_test_loss", "final_test_accuracy", "seconds", "seconds_per_step",
            "parameters", "trainable_parameters", "diverged_at_step", "steps_run", "stopped_early", "steps_to_fit",
            "steps_to_target");

    public SweepSpec {
        base = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(base));
        grid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
        metrics = List.copyOf(metrics);
    }

    /** Reads a YAML sweep file. */
    public static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read the sweep spec (" + e.getMessage() + "); check the path");
        }
        return parse(text, file.toString());
    }

    /** Parses a YAML sweep; {@code source} names it in error messages. */
    @SuppressWarnings("unchecked")
    public static SweepSpec parse(String yamlText, String source) {
        Object doc;
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setAllowDuplicateKeys(false);
            opts.setMaxAliasesForCollections(10);
            doc = new Yaml(new SafeConstructor(opts)).load(yamlText);
        } catch (YAMLException e) {
            throw new InputError(source + ": not valid YAML (" + oneLine(e.getMessage()) + ")");
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new InputError(source + ": a sweep spec is a YAML mapping with 'base:', 'grid:' and optional 'metrics:'");
        }
        for (Object k : top.keySet()) {
            if (!List.of("base", "grid", "metrics").contains(String.valueOf(k))) {
                throw new InputError(source + ": unknown top-level key '" + k + "'; use base:, grid: and metrics:");
            }
        }
        Map<String, Object> base = new LinkedHashMap<>();
        Object b = top.get("base");
        if (b != null) {
            if (!(b instanceof Map)) {
                throw new InputError(source + ": 'base:' must map train options to values, e.g. base: {steps: 50}");
            }
            ((Map<Object, Object>) b).forEach((k, v) -> base.put(String.valueOf(k), v));
        }
        Object g = top.get("grid");
        if (!(g instanceof Map<?, ?> gm) || gm.isEmpty()) {
            throw new InputError(source + ": 'grid:' must map at least one option to a list of values, e.g. grid: {seed: [0, 1]}");
        }
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : gm.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof List<?> l) || l.isEmpty()) {
                throw new InputError(source + ": grid '" + key + "' must be a non-empty list, e.g. " + key + ": [a, b]");
            }
            if (base.containsKey(key)) {
                throw new InputError(source + ": '" + key + "' is in both base: and grid:; keep it in one");
            }
            grid.put(key, new ArrayList<>(l));
        }
        List<String> metrics = new ArrayList<>();
        Object m = top.get("metrics");
        if (m != null) {
            if (!(m instanceof List<?> ml)) {
                throw new InputError(source + ": 'metrics:' must be a list, e.g. metrics: [final_loss]");
            }
            for (Object o : ml) {
                if (!KNOWN_METRICS.contains(String.valueOf(o))) {
                    throw new InputError(source + ": unknown metric '" + o + "'; known: " + String.join(", ", KNOWN_METRICS));
                }
                metrics.add(String.valueOf(o));
            }
        }
        Set<String> known = RunConfig.defaults().toMap().keySet();
        for (String key : concat(base.keySet(), grid.keySet())) {
            if (RESERVED.contains(key)) {
                throw new InputError(source + ": '" + key + "' is set by the sweep (one folder per run under --out, one BLAS"
                        + " thread per run); remove it");
            }
            if (!known.contains(key)) {
                throw new InputError(source + ": unknown train option '" + key + "'; use config.json's snake_case keys"
                        + " (e.g. dataset, hidden, lr, steps, seed)");
            }
        }
        SweepSpec spec = new SweepSpec(base, grid, metrics);
        spec.expand(Path.of("check"), source); // every point must resolve to a valid RunConfig
        return spec;
    }

    /** Number of runs in the grid. */
    /** The number of grid points, saturating at Long.MAX_VALUE (a grid past 2⁶³ points threw ArithmeticException). */
    public long size() {
        long n = 1;
        for (List<Object> l : grid.values()) {
            if (l.isEmpty()) {
                return 0;
            }
            n = n > Long.MAX_VALUE / l.size() ? Long.MAX_VALUE : n * l.size();
        }
        return n;
    }

    /** The Cartesian product, in grid order (last key fastest), each run's {@code out} under {@code dir}. */
    public List<RunConfig> expand(Path dir) {
        return expand(dir, "sweep spec");
    }

    private List<RunConfig> expand(Path dir, String source) {
        if (size() > 1_000_000) {
            throw new InputError(source + ": the grid has " + (size() == Long.MAX_VALUE ? "2^63 or more" : size())
                    + " points, more than the 1000000 a sweep runs; split the sweep");
        }
        List<String> keys = new ArrayList<>(grid.keySet());
        List<RunConfig> out = new ArrayList<>();
        int[] idx = new int[keys.size()];
        while (true) {
            Map<String, Object> m = new LinkedHashMap<>(base);
            for (int i = 0; i < keys.size(); i++) {
                m.put(keys.get(i), grid.get(keys.get(i)).get(idx[i]));
            }
            out.add(SweepRun.placed(RunConfig.fromMap(m, source), dir));
            int i = keys.size() - 1;
            while (i >= 0 && ++idx[i] == grid.get(keys.get(i)).size()) {
                idx[i] = 0;
                i--;
            }
            if (i < 0) {
                return out;
            }
        }
    }

    private static Set<String> concat(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
