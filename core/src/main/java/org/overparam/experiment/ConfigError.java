package org.overparam.experiment;

import org.overparam.InputError;

/**
 * A configuration value a run cannot use, naming its field ({@code training.lr must be a positive number,
 * got -1}); the command line reports it under the field's flag instead ({@code --lr must be …}). Other fields
 * a problem mentions are written {@code {key}} and read the same way.
 */
public final class ConfigError extends InputError {
    private static final long serialVersionUID = 1L;

    private static final java.util.regex.Pattern OTHER_FIELD = java.util.regex.Pattern.compile("\\{([a-z_]+)}");

    private final transient ConfigField field;
    private final String problem;

    /** @param problem what is wrong: a predicate ({@code must be …}) or a sentence from a parser */
    public ConfigError(ConfigField field, String problem) {
        this(null, field, problem);
    }

    private ConfigError(String source, ConfigField field, String problem) {
        super((source == null ? "" : source + ": ") + join(field.path(), render(problem, false)));
        this.field = field;
        this.problem = problem;
    }

    public ConfigField field() {
        return field;
    }

    /** The same problem, said of the configuration read from {@code source} (a file, a sweep spec). */
    public ConfigError in(String source) {
        return new ConfigError(source, field, problem);
    }

    /** The message a command line gives: the problem under the field's flag. */
    public String forFlag() {
        return join(field.flag(), render(problem, true));
    }

    /** Another field named in a problem as {@code {key}} reads as its path, or its flag on a command line. */
    private static String render(String problem, boolean flags) {
        java.util.regex.Matcher m = OTHER_FIELD.matcher(problem);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            ConfigField f = ConfigField.ofKey(m.group(1));
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(
                    f == null ? m.group() : flags ? f.flag() : f.path()));
        }
        return m.appendTail(b).toString();
    }

    private static String join(String name, String problem) {
        return problem.startsWith("must ") || problem.startsWith("is ") || problem.startsWith("has ") || problem.startsWith("cannot ")
                ? name + " " + problem : name + ": " + problem;
    }
}
