package org.overparam.experiment;

import org.overparam.linalg.Matrix;

/** Training (and optional test) data as off-heap matrices: x is n × d, y is n × c (c = 1 for 1-D labels). */
public record LoadedData(Matrix x, Matrix y, Matrix testX, Matrix testY, String description) {
}
