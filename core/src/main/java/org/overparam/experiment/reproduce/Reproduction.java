package org.overparam.experiment.reproduce;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A figure of one of the lecture's papers, regenerated from overparam's own runs: the paper and figure, the
 * setup written out (full and {@code --quick}), the paper's reported finding, and a run that writes the figures
 * (SVG, PNG, PDF), the plotted numbers as CSV and a short comparison with the finding.
 */
public interface Reproduction {
    /** A short stable id, e.g. {@code du2019-fig1}. */
    String id();

    /** Authors, year, title and figure. */
    String paper();

    /** What the paper reports, in one or two sentences. */
    String finding();

    /** The setup, written out; {@code quick}: the version that runs in under a minute. */
    String setup(boolean quick);

    /** The full version's run time on the reference machine (2 cores), measured. */
    String fullTime();

    /** Why this reproduction cannot run here (its data is missing), or null when it can. */
    default String missingData() {
        return null;
    }

    /** Runs into {@code dir} (created by the caller) and says what was found. */
    Outcome run(Path dir, boolean quick, int threads, Consumer<String> log);

    /** What a run wrote: figure base names (each as .svg/.png/.pdf), CSV files, and the comparison in words. */
    record Outcome(List<String> figures, List<String> csv, String comparison) {
    }
}
