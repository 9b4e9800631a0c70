package org.overparam.train;

import java.util.List;
import java.util.Map;

/** Extra per-step measurements a recorder writes beside its own: named columns, values where measured. */
public interface StepColumns {
    /** The column names, in order (CSV header and JSONL keys). */
    List<String> columns();

    /** The values measured at {@code step} (absent columns were not measured there). */
    Map<String, Double> at(long step);
}
