package org.overparam.train;

import org.overparam.InputError;

/**
 * A step-size schedule η_k. Spellings: {@code constant}, {@code step:EVERY:GAMMA} (η·γ^⌊k/EVERY⌋),
 * {@code inverse:DECAY} (η/(1 + DECAY·k)), {@code cosine} (η·½(1 + cos(πk/T)) over the run's T steps).
 */
public record Schedule(String kind, double a, double b) {

    public static final Schedule CONSTANT = new Schedule("constant", 0, 0);

    public static Schedule parse(String s) {
        String[] p = s.trim().toLowerCase(java.util.Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "constant" -> p.length == 1 ? CONSTANT : bad(s);
                case "cosine" -> p.length == 1 ? new Schedule("cosine", 0, 0) : bad(s);
                case "step" -> {
                    if (p.length != 3 || Long.parseLong(p[1]) <= 0 || !(Double.parseDouble(p[2]) > 0)) {
                        yield bad(s);
                    }
                    yield new Schedule("step", Long.parseLong(p[1]), Double.parseDouble(p[2]));
                }
                case "inverse" -> {
                    if (p.length != 2 || !(Double.parseDouble(p[1]) >= 0)) {
                        yield bad(s);
                    }
                    yield new Schedule("inverse", Double.parseDouble(p[1]), 0);
                }
                default -> bad(s);
            };
        } catch (NumberFormatException e) {
            return bad(s);
        }
    }

    private static Schedule bad(String s) {
        throw new InputError("bad --lr-schedule '" + s + "'; use constant, step:EVERY:GAMMA, inverse:DECAY or cosine");
    }

    /** η_k for base rate η at step k of a run of {@code total} steps. */
    public double rate(double lr, long k, long total) {
        return switch (kind) {
            case "constant" -> lr;
            case "step" -> lr * Math.pow(b, Math.floor(k / a));
            case "inverse" -> lr / (1 + a * k);
            case "cosine" -> lr * 0.5 * (1 + Math.cos(Math.PI * k / Math.max(1, total)));
            default -> throw new IllegalStateException(kind);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case "step" -> "step:" + (long) a + ":" + b;
            case "inverse" -> "inverse:" + a;
            default -> kind;
        };
    }
}
