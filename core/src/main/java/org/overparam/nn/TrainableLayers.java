package org.overparam.nn;

import java.util.BitSet;
import org.overparam.InputError;

/**
 * Which layers are trained: {@code all}, {@code first}, {@code last} (the random-features model), or a
 * comma list of 0-based layer indices such as {@code 0,2}. Frozen layers keep their initial weights.
 */
public record TrainableLayers(String spec) {
    public static final TrainableLayers ALL = new TrainableLayers("all");
    public static final TrainableLayers FIRST = new TrainableLayers("first");
    public static final TrainableLayers LAST = new TrainableLayers("last");

    public static TrainableLayers parse(String s) {
        TrainableLayers t = new TrainableLayers(s.trim().toLowerCase(java.util.Locale.ROOT));
        if (!t.spec.equals("all") && !t.spec.equals("first") && !t.spec.equals("last")
                && !t.spec.matches("\\d+(,\\d+)*")) {
            throw new InputError("bad --train-layers '" + s + "'; use all, first, last or a list like 0,2");
        }
        return t;
    }

    /** The set of trained layer indices for a network of {@code layers} layers. */
    public BitSet resolve(int layers) {
        BitSet b = new BitSet(layers);
        switch (spec) {
            case "all" -> b.set(0, layers);
            case "first" -> b.set(0);
            case "last" -> b.set(layers - 1);
            default -> {
                for (String part : spec.split(",")) {
                    b.set(Integer.parseInt(part));
                }
            }
        }
        return b;
    }

    /** {@link #resolve} after checking every named layer exists. */
    public BitSet resolveChecked(int layers) {
        validate(layers);
        return resolve(layers);
    }

    void validate(int layers) {
        if (spec.equals("all") || spec.equals("first") || spec.equals("last")) {
            return;
        }
        if (!spec.matches("\\d+(,\\d+)*")) {
            throw new InputError("bad --train-layers '" + spec + "'; use all, first, last or a list like 0,2");
        }
        for (String part : spec.split(",")) {
            long l = Long.parseLong(part);
            if (l >= layers) {
                throw new InputError("--train-layers " + spec + " names layer " + l + " but the network has layers 0.."
                        + (layers - 1));
            }
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
