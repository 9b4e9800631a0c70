package org.overparam.nn;

import org.overparam.linalg.Matrix;

/**
 * A loss seen from the network's outputs: its gradient ∂L/∂h and its Hessian ∇²_h L applied to a direction.
 * The Hessian-vector product of the loss in the weights needs both (Pearlmutter 1994).
 */
public interface OutputCurvature {
    /** Writes ∂L/∂h into {@code grad} (rows × k) and returns L. */
    double gradient(Matrix out, Matrix grad);

    /** Writes ∇²_h L · rOut into {@code result} (rows × k). */
    void hessianVector(Matrix out, Matrix rOut, Matrix result);
}
