package org.overparam.linalg;

/** Eigenvalues in ascending order and the matching orthonormal eigenvectors as the columns of {@code vectors}. */
public record SymmetricEigen(double[] values, Matrix vectors) {
}
