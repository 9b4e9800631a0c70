package org.overparam.report;

import java.util.Objects;

/** A dashed horizontal line at height {@code y} across the whole plot, e.g. a theoretical bound. */
public record ReferenceLine(String label, double y) {
    public ReferenceLine {
        Objects.requireNonNull(label, "label");
    }
}
