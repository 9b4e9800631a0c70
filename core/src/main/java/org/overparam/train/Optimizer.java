package org.overparam.train;

import org.overparam.InputError;

/** Full-batch gradient descent or minibatch stochastic gradient descent. */
public enum Optimizer {
    GD, SGD;

    public static Optimizer parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "gd" -> GD;
            case "sgd" -> SGD;
            default -> throw new InputError("unknown optimizer '" + s + "'; use gd or sgd");
        };
    }
}
