package org.overparam.cli;

import picocli.CommandLine.Option;

/** The inputs of the kernel commands: a file or a dataset spec, optionally normalized to the sphere. */
final class InputsOptions {
    @Option(names = "--data", paramLabel = "FILE", description = "Inputs (n, d): .npy, .csv or IDX.")
    String data;

    @Option(names = "--dataset", paramLabel = "SPEC", description = "Inputs by name, as for train (labels ignored).")
    String dataset;

    @Option(names = "--normalize", description = "Scale every input to the unit sphere first.")
    boolean normalize;
}
