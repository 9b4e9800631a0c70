package org.overparam.experiment;

/**
 * Which data a run trains and tests on, and how it is transformed ({@link DataLoader} loads it). Data
 * sources stay text (a dataset spec or a file path): they are resolved when the data is loaded.
 */
public record DataConfig(String dataset, String data, String labels, String testDataset, String testData,
        String testLabels, double testSplit, boolean center, boolean normalize, int subsample, boolean oneHot,
        int classes, double corruptLabels, boolean shufflePixels, boolean randomPixels, boolean gaussianInputs) {

    public DataConfig {
        if (!(testSplit >= 0 && testSplit < 1)) {
            throw new ConfigError(ConfigField.TEST_SPLIT, "must be a fraction in [0, 1), got " + testSplit);
        }
        if (subsample < 0) {
            throw new ConfigError(ConfigField.SUBSAMPLE, "must be >= 0 (0 = all samples), got " + subsample);
        }
        if (classes < 0) {
            throw new ConfigError(ConfigField.CLASSES, "must be >= 0 (0 = max label + 1), got " + classes);
        }
        if (!(corruptLabels >= 0 && corruptLabels <= 1)) {
            throw new ConfigError(ConfigField.CORRUPT_LABELS, "must be a fraction in [0, 1], got " + corruptLabels);
        }
    }
}
