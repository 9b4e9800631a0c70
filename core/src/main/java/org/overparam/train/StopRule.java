package org.overparam.train;

import org.overparam.InputError;

/**
 * When a run may end before its step budget: once the full training loss is at most {@code targetLoss}
 * (0 = never), or once every training sample is classified correctly ({@code atFit}, Zhang et al. 2017's
 * "time to fit"). The step that meets the rule is recorded with all measurements and becomes the final
 * record; no update follows it.
 *
 * <p>For gd the rule is checked at every step (the loss and the accuracy come from the forward pass that
 * the step computes anyway). For sgd the full training loss and accuracy exist only at record steps, so
 * the rule is checked there: the stop step is then known to within {@code --record-every} steps.
 */
public record StopRule(double targetLoss, boolean atFit) {
    public static final StopRule NEVER = new StopRule(0, false);

    public StopRule {
        if (!(targetLoss >= 0) || !Double.isFinite(targetLoss)) {
            throw new InputError("--target-loss must be a finite number >= 0 (0 = off), got " + targetLoss);
        }
    }

    public boolean active() {
        return targetLoss > 0 || atFit;
    }

    /** Whether a full-training-set loss and accuracy (NaN = not measured) meet the rule. */
    public boolean met(double trainLoss, double trainAccuracy) {
        return (targetLoss > 0 && trainLoss <= targetLoss) || (atFit && trainAccuracy == 1.0);
    }
}
