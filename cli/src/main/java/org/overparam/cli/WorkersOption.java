package org.overparam.cli;

import org.overparam.InputError;
import picocli.CommandLine.Option;

/**
 * --workers, with one meaning and one default in every command that trains several runs (sweep, min-width, polylog,
 * randomization, deep-vs-wide): runs trained at once, one BLAS thread each, by default as many as there are cores.
 * (It defaulted to 1, 2 or all cores by command.) Results do not depend on it: every run is single-threaded.
 */
public final class WorkersOption {
    @Option(names = "--workers", paramLabel = "N",
            description = "Runs trained at once, one BLAS thread each (default: all cores).")
    Integer workers;

    /** The worker count: the option, or the number of cores; 1..1024. */
    int count() {
        int w = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (w < 1 || w > 1024) {
            throw new InputError("--workers must be between 1 and 1024, got " + w);
        }
        return w;
    }
}
