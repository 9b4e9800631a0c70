package org.overparam.train;

import org.overparam.InputError;

/** How SGD draws minibatches: reshuffled epochs (without replacement) or independent draws with replacement. */
public enum Sampling {
    SHUFFLE, REPLACEMENT;

    public static Sampling parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "shuffle", "epochs" -> SHUFFLE;
            case "replacement", "with-replacement" -> REPLACEMENT;
            default -> throw new InputError("unknown --sampling '" + s + "'; use shuffle or replacement");
        };
    }
}
