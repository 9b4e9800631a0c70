package org.overparam.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.overparam.io.JsonBinding;
import org.overparam.nn.Network;
import org.overparam.train.DivergenceException;
import org.overparam.train.Loss;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainResult;

/**
 * A training run's summary: summary.json and {@code train --json}, in this order. A null component is a key left
 * out (what was not measured or does not apply: a diverged run has no final values, a run without labels for
 * accuracy no {@code final_train_accuracy}); {@code stepsToFit} and {@code stepsToTarget} are written with null
 * when asked for and not reached, and left out when not asked for.
 *
 * @param status                     completed or diverged
 * @param divergedAtStep             the step whose loss diverged (diverged runs)
 * @param message                    the divergence message (diverged runs)
 * @param stepsToFit                 the first step with training accuracy 1 (measured at every step for gd with
 *                                   --stop-at-fit, otherwise at record steps); present with accuracy or --stop-at-fit
 * @param stepsToTarget              the first step with training loss ≤ --target-loss; present with --target-loss
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainSummary(String status, Long divergedAtStep, String message, String loss, String lossConvention,
        String optimizer, double lr, long steps, int nTrain, long parameters, long trainableParameters,
        Double initialLoss, Double initialGradNormSq, Double finalLoss, Double finalTrainAccuracy, Double finalTestLoss,
        Double finalTestAccuracy, Double distanceFromInit, Double relativeDistanceFromInit,
        List<Double> distanceFromInitPerLayer, Double lastRecordedGradNormSq, Long lastRecordedGradNormStep,
        Long stepsRun, Boolean stoppedEarly, Double seconds, Double secondsPerStep, int threads,
        Optional<Long> stepsToFit, Double targetLoss, Optional<Long> stepsToTarget, String outputFolder,
        Provenance provenance) {

    /**
     * The summary of a run.
     *
     * @param firstLast the first recorded step and the last fully recorded one (either may be null)
     * @param reached   the steps that reached fit and the target loss, -1 when not reached
     */
    static TrainSummary of(RunConfig c, org.overparam.nn.Model net, Loss loss, TrainResult result, DivergenceException diverged,
            StepRecord[] firstLast, double initNorm, int n, long steps, long[] reached, String outputFolder,
            Provenance provenance) {
        StepRecord first = firstLast[0];
        StepRecord last = result == null ? null : result.last();
        StepRecord lastFull = firstLast[1];
        boolean full = last != null && lastFull != null && !Double.isNaN(lastFull.gradNormSq());
        Double finalTrainAccuracy = last == null ? null : measured(last.trainAccuracy());
        return new TrainSummary(diverged == null ? "completed" : "diverged",
                diverged == null ? null : diverged.step(), diverged == null ? null : diverged.getMessage(),
                loss.cliName(), TrainRun.lossConvention(loss), c.training().optimizer().text(), c.training().lr(), steps, n,
                net.parameterCount(), net.trainableCount(),
                first == null ? null : first.loss(), first == null ? null : measured(first.gradNormSq()),
                last == null ? null : last.loss(), finalTrainAccuracy,
                last == null ? null : measured(last.testLoss()), last == null ? null : measured(last.testAccuracy()),
                last == null ? null : measured(last.distance()),
                last != null && initNorm > 0 && !Double.isNaN(last.distance()) ? last.distance() / initNorm : null,
                last == null || last.layerDistance() == null ? null
                        : Arrays.stream(last.layerDistance()).boxed().toList(),
                full ? lastFull.gradNormSq() : null, full ? lastFull.step() : null,
                last == null ? null : result.steps(), last == null ? null : result.stoppedEarly(),
                last == null ? null : result.seconds(), last == null ? null : result.secondsPerStep(),
                c.threads(),
                finalTrainAccuracy != null || c.training().stopAtFit() ? reachedStep(reached[0]) : null,
                c.training().targetLoss() > 0 ? c.training().targetLoss() : null,
                c.training().targetLoss() > 0 ? reachedStep(reached[1]) : null,
                outputFolder, provenance);
    }

    /** As a map of plain values, key by key as written (for the sweep store and the CLI's lines). */
    public Map<String, Object> toMap() {
        return JsonBinding.toMap(this);
    }

    private static Double measured(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static Optional<Long> reachedStep(long step) {
        return step >= 0 ? Optional.of(step) : Optional.empty();
    }
}
