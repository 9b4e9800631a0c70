package org.overparam.cli;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.overparam.experiment.ConfigField;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The options of a training configuration, built from {@link ConfigField}: one flag, one default and one
 * description per field, shared by every command that takes the field, grouped in {@code --help} under the
 * field's section (Data, Network, Training, Output, Machine). A command adds the fields it takes and reads back
 * only what the user gave ({@link #given}); the defaults are applied once, by {@code RunConfig}.
 */
final class ConfigOptions {
    private ConfigOptions() {
    }

    /** Adds the options of {@code fields} to {@code spec}, one help group per section, in the table's order. */
    static void add(CommandSpec spec, Set<ConfigField> fields) {
        add(spec, fields, Map.of());
    }

    /** As {@link #add(CommandSpec, Set)}, with the command's own defaults for some fields. */
    static void add(CommandSpec spec, Set<ConfigField> fields, Map<ConfigField, String> defaults) {
        for (ConfigField.Section section : ConfigField.Section.values()) {
            ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading("%n" + section.heading + ":%n").exclusive(false)
                    .multiplicity("0..1").validate(false);
            boolean any = false;
            for (ConfigField f : fields) {
                if (f.section == section) {
                    group.addArg(option(f, defaults.getOrDefault(f, f.defaultText)));
                    any = true;
                }
            }
            if (any) {
                spec.addArgGroup(group.build());
            }
        }
    }

    /** Every field of the given sections. */
    static Set<ConfigField> sections(ConfigField.Section... sections) {
        Set<ConfigField> s = EnumSet.noneOf(ConfigField.class);
        for (ConfigField f : ConfigField.values()) {
            for (ConfigField.Section x : sections) {
                if (f.section == x) {
                    s.add(f);
                }
            }
        }
        return s;
    }

    /** The flag of a field under a default: a boolean that is off by default is turned on by its positive flag. */
    static String flag(ConfigField f, String dflt) {
        return f.kind == ConfigField.Kind.NEGATED_FLAG && "false".equals(dflt) ? "--" + f.key.replace('_', '-') : f.flag();
    }

    private static OptionSpec option(ConfigField f, String dflt) {
        String flag = flag(f, dflt);
        String[] text = f.description.toArray(String[]::new);
        if (!flag.equals(f.flag())) {
            text = new String[] {"With " + f.key.replace('_', ' ') + " (default: off)."};
        }
        OptionSpec.Builder b = OptionSpec.builder(flag).description(text);
        switch (f.kind) {
            case FLAG, NEGATED_FLAG -> b.arity("0").type(boolean.class);
            case REAL -> b.type(double.class);
            case LONG -> b.type(long.class);
            case INT -> b.type(int.class);
            case TEXT -> b.type(String.class);
        }
        if (f.label != null) {
            b.paramLabel(f.label);
        }
        if (dflt != null && f.kind != ConfigField.Kind.FLAG && f.kind != ConfigField.Kind.NEGATED_FLAG) {
            b.defaultValue(dflt); // shown by ${DEFAULT-VALUE}; the value used is applied by values() or RunConfig
        }
        return b.build();
    }

    /** The fields the user gave on the command line, as config.json keys and typed values. */
    static Map<String, Object> given(ParseResult pr, Set<ConfigField> fields) {
        return values(pr, fields, Map.of());
    }

    /** The command's own defaults (as text, which RunConfig reads) overridden by the fields the user gave. */
    static Map<String, Object> values(ParseResult pr, Set<ConfigField> fields, Map<ConfigField, String> defaults) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigField f : fields) {
            String dflt = defaults.getOrDefault(f, f.defaultText);
            if (defaults.containsKey(f)) {
                m.put(f.key, dflt);
            }
            OptionSpec o = pr.matchedOption(flag(f, dflt));
            if (o != null) {
                Object v = o.getValue();
                boolean negated = f.kind == ConfigField.Kind.NEGATED_FLAG && flag(f, dflt).equals(f.flag());
                m.put(f.key, negated ? !(Boolean) v : v);
            }
        }
        return m;
    }

    /** Whether the user gave this field's flag. */
    static boolean given(ParseResult pr, ConfigField f) {
        return pr.matchedOption(f.flag()) != null;
    }
}
