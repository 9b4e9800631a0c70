package org.overparam.train;

/**
 * What was measured at step k, at the weights w_k before the k-th update (the final record is at w_T).
 * Quantities not measured at this step are NaN (and written as empty CSV cells).
 *
 * @param loss           L(w_k) on the step's batch (the full training set for gd)
 * @param trainLoss      L(w_k) on the full training set (equal to loss for gd; NaN between records for sgd)
 * @param gradNormSq     ‖∇L(w_k)‖² of the step's batch gradient, over the trained parameters
 * @param distance       ‖w_k − w_0‖ over all parameters
 * @param layerDistance  ‖w_k − w_0‖ per layer (weights and bias)
 */
public record StepRecord(long step, long epoch, double lr, double loss, double trainLoss, double trainAccuracy,
        double gradNormSq, double distance, double[] layerDistance, double testLoss, double testAccuracy,
        double seconds) {

    /** True when this record carries the full set of measurements (not only the loss). */
    public boolean full() {
        return !Double.isNaN(distance);
    }
}
