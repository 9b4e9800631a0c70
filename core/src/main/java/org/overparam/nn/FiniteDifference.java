package org.overparam.nn;

import java.util.function.ToDoubleFunction;
import org.overparam.linalg.Matrix;

/**
 * The one central-difference checker every derivative in overparam is tested with (gradients, Jacobians,
 * Hessian-vector products): d/dε f(w + εv) ≈ (f(w + εv) − f(w − εv)) / (2ε), error O(ε²).
 */
public final class FiniteDifference {
    private FiniteDifference() {
    }

    /** The central difference of f along direction v at the current point w (w is restored afterwards). */
    public static double directional(Matrix w, Matrix v, double eps, ToDoubleFunction<Matrix> f) {
        Matrix saved = w.copy();
        try {
            org.overparam.linalg.Vectors.axpy(eps, v, w);
            double plus = f.applyAsDouble(w);
            w.copyFrom(saved);
            org.overparam.linalg.Vectors.axpy(-eps, v, w);
            double minus = f.applyAsDouble(w);
            return (plus - minus) / (2 * eps);
        } finally {
            w.copyFrom(saved);
            saved.close();
        }
    }

    /** Central difference of a vector-valued f along v, written into {@code out}. */
    public static void directionalVector(Matrix w, Matrix v, double eps, java.util.function.Consumer<Matrix> f,
            Matrix out) {
        Matrix saved = w.copy();
        Matrix plus = Matrix.zeros(out.rows(), out.cols());
        try {
            org.overparam.linalg.Vectors.axpy(eps, v, w);
            f.accept(plus);
            w.copyFrom(saved);
            org.overparam.linalg.Vectors.axpy(-eps, v, w);
            f.accept(out);
            for (long k = 0; k < out.size(); k++) {
                out.setAt(k, (plus.at(k) - out.at(k)) / (2 * eps));
            }
        } finally {
            w.copyFrom(saved);
            saved.close();
            plus.close();
        }
    }

    /** |a − b| / max(|a|, |b|, floor): the relative error used by every derivative test. */
    public static double relativeError(double a, double b, double floor) {
        return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), floor);
    }
}
