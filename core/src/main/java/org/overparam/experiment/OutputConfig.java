package org.overparam.experiment;

/** Where a run writes: its output folder, an optional model file, checkpoints and the checkpoint it resumes. */
public record OutputConfig(String out, String saveModel, long checkpointEvery, String resume) {
    public OutputConfig {
        if (out == null || out.isBlank()) {
            throw new ConfigError(ConfigField.OUT, "must name an output folder");
        }
        if (checkpointEvery < 0) {
            throw new ConfigError(ConfigField.CHECKPOINT_EVERY, "must be >= 0 (0 = never), got " + checkpointEvery);
        }
    }
}
