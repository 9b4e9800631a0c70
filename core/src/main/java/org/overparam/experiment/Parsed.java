package org.overparam.experiment;

import java.util.function.Function;

/**
 * A configuration value parsed once, at the edge (command line, config.json, sweep spec), together with the
 * text it was parsed from. The run uses {@link #value}; config.json and the sweep store's config hash keep
 * {@link #text} as written (an alias such as {@code pytorch} or {@code leaky_relu} stays what it was), so
 * every config written by an earlier version rereads and hashes the same.
 */
public record Parsed<T>(T value, String text) {
    public Parsed {
        java.util.Objects.requireNonNull(value);
        java.util.Objects.requireNonNull(text);
    }

    public static <T> Parsed<T> of(String text, Function<String, T> parser) {
        return new Parsed<>(parser.apply(text), text);
    }

    @Override
    public String toString() {
        return text;
    }
}
