package org.overparam.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.overparam.InputError;

/**
 * How every run of a preset study trains: activation, optimizer, step size, minibatch, the step budget (a
 * run that has not fit by then is reported as not fitting), how often the fit is checked, and the number of
 * seeds per cell. Validated on construction.
 */
public record StudyTraining(String activation, String optimizer, double lr, int batch, long maxSteps, int recordEvery,
        int seeds) {
    public StudyTraining {
        requireRange("--seeds", seeds, 1, 1000);
        requireRange("--batch", batch, 1, 1_000_000);
        requireRange("--record-every", recordEvery, 1, 1_000_000);
        requireRange("--max-steps", maxSteps, 1, 100_000_000);
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputError("--lr must be a positive number, got " + lr);
        }
    }

    static void requireRange(String option, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new InputError(option + " must be between " + lo + " and " + hi + ", got " + v);
        }
    }

    /** These options as config.json keys (the seed is set per run). */
    Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("activation", activation);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("batch", batch);
        m.put("steps", maxSteps);
        m.put("record_every", recordEvery);
        return m;
    }

    /** For the study's JSON. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(config());
        m.remove("steps");
        m.put("max_steps", maxSteps);
        m.put("seeds", seeds);
        return m;
    }

    /** For the report: "sgd at lr 0.1, batch 50, at most 5000 steps, the fit checked every 10 steps". */
    String describe() {
        return String.format(java.util.Locale.ROOT, "%s at lr %s, batch %d, at most %d steps, the fit checked every "
                + "%d steps (steps to fit are known to within that)", optimizer, StudyRun.number(lr), batch, maxSteps,
                recordEvery);
    }
}
