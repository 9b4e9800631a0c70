package org.overparam.experiment;

import java.util.Set;
import org.overparam.theory.PathTracker;

/**
 * Where a run writes and what it records: its output folder, an optional model file, checkpoints, the checkpoint
 * it resumes, and the papers' measurements to track along the path (empty: none) with their kernel interval.
 */
public record OutputConfig(String out, String saveModel, long checkpointEvery, String resume,
        Parsed<Set<PathTracker.Track>> track, long kernelEvery) {
    public OutputConfig {
        if (kernelEvery < 0) {
            throw new ConfigError(ConfigField.KERNEL_EVERY, "must be >= 0 (0 = ten times record_every), got " + kernelEvery);
        }
        if (track != null && !track.value().isEmpty() && resume != null) {
            throw new ConfigError(ConfigField.TRACK, "cannot be combined with {resume}: the measurements start at step 0");
        }
        if (out == null || out.isBlank()) {
            throw new ConfigError(ConfigField.OUT, "must name an output folder");
        }
        if (checkpointEvery < 0) {
            throw new ConfigError(ConfigField.CHECKPOINT_EVERY, "must be >= 0 (0 = never), got " + checkpointEvery);
        }
    }

    /** What to track (empty when nothing). */
    public Set<PathTracker.Track> tracks() {
        return track == null ? Set.of() : track.value();
    }
}
