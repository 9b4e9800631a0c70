package org.overparam.linalg;

/** A thin singular value decomposition A = U·diag(singularValues)·Vᵀ, singular values descending. */
public record Svd(Matrix u, double[] singularValues, Matrix vt) {
}
