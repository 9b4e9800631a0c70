package org.overparam.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;

class StopRuleTest {
    private static final int N = 30;
    private static final int D = 6;

    private static Matrix signs(Matrix x) {
        Matrix y = Matrix.zeros(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, x.get(i, 0) + 0.5 * x.get(i, 1) >= 0 ? 1 : -1);
        }
        return y;
    }

    private static List<StepRecord> run(Loss loss, Matrix y, StopRule rule, Optimizer opt, long steps) {
        Matrix x = gaussian(N, D, 11);
        List<StepRecord> recs = new ArrayList<>();
        try (Network net = Network.initialize(NetworkSpec.standard(D, new int[] {64}, 1, Activations.RELU), 4)) {
            TrainSpec spec = new TrainSpec(loss, opt, 0.2, Schedule.CONSTANT, 0.0, steps, 8, Sampling.SHUFFLE, 0, 5, 1e6);
            TrainResult r = new Trainer(net, x, y, spec).stopWhen(rule).observe((rec, w) -> recs.add(rec)).run();
            assertEquals(r.last(), recs.get(recs.size() - 1));
            assertEquals(r.steps(), r.last().step());
            assertEquals(r.stoppedEarly(), r.steps() < steps);
        }
        return recs;
    }

    @Test
    void gdStopsAtTheFirstStepWhoseLossMeetsTheTargetAndRecordsItFully() {
        Matrix x = gaussian(N, D, 11);
        List<StepRecord> all = run(Loss.MSE, gaussian(N, 1, 12), StopRule.NEVER, Optimizer.GD, 400);
        double target = all.get(150).loss();
        int first = 0;
        while (all.get(first).loss() > target) {
            first++;
        }
        List<StepRecord> stopped = run(Loss.MSE, gaussian(N, 1, 12), new StopRule(target, false), Optimizer.GD, 400);
        StepRecord last = stopped.get(stopped.size() - 1);
        assertEquals(first, last.step(), "stops at the first step with loss <= target");
        assertEquals(first + 1, stopped.size(), "one record per step up to the stop, none after");
        assertTrue(last.full(), "the stop step carries all measurements");
        // the weights are the same as in the unstopped run up to that step (no update was skipped before it)
        assertEquals(all.get(first).loss(), last.loss(), 0.0);
        x.close();
    }

    @Test
    void gdStopsAtFitWhenEveryTrainingSampleIsCorrect() {
        Matrix x = gaussian(N, D, 11);
        Matrix y = signs(x);
        List<StepRecord> recs = run(Loss.LOGISTIC, y, new StopRule(0, true), Optimizer.GD, 2000);
        StepRecord last = recs.get(recs.size() - 1);
        assertEquals(1.0, last.trainAccuracy());
        assertTrue(last.step() < 2000, "a 64-unit net fits 30 linearly separable points well within the budget");
        for (StepRecord r : recs.subList(0, recs.size() - 1)) {
            assertTrue(r.trainAccuracy() < 1.0, "no earlier step had 100% accuracy: step " + r.step());
        }
    }

    @Test
    void sgdChecksTheRuleOnlyAtRecordSteps() {
        Matrix x = gaussian(N, D, 11);
        List<StepRecord> recs = run(Loss.LOGISTIC, signs(x), new StopRule(0, true), Optimizer.SGD, 3000);
        StepRecord last = recs.get(recs.size() - 1);
        assertEquals(0, last.step() % 5, "record every 5 steps");
        assertEquals(1.0, last.trainAccuracy());
    }

    @Test
    void anUnmetRuleRunsTheWholeBudget() {
        List<StepRecord> recs = run(Loss.MSE, gaussian(N, 1, 12), new StopRule(1e-300, false), Optimizer.GD, 50);
        assertEquals(50, recs.get(recs.size() - 1).step());
        assertFalse(new StopRule(0, false).active());
        assertThrows(InputError.class, () -> new StopRule(-1, false));
        assertThrows(InputError.class, () -> new StopRule(Double.NaN, false));
    }
}
