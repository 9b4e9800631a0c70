package org.overparam.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.overparam.experiment.ResultsStore;
import org.overparam.experiment.SweepRun;
import org.overparam.io.Json;

/**
 * What a Spark task sends back to the driver for one run: either a trained run (its summary as JSON, its
 * series as primitive arrays) or the one-line reason it failed. Only strings and primitive arrays, so it
 * serializes the same with any Spark serializer and whatever a summary comes to hold; the store keeps the
 * summary as JSON anyway, and doubles survive JSON bit for bit ({@link Double#toString} round-trips).
 */
public record RunResult(String summaryJson, long[] step, double[] loss, double[] gradNormSq, double[] distance,
        String failure) implements Serializable {
    private static final long serialVersionUID = 1L;

    static RunResult of(SweepRun.Trained t) {
        List<ResultsStore.Point> s = t.series();
        int n = s.size();
        long[] step = new long[n];
        double[] loss = new double[n];
        double[] grad = new double[n];
        double[] dist = new double[n];
        for (int i = 0; i < n; i++) {
            ResultsStore.Point p = s.get(i);
            step[i] = p.step();
            loss[i] = p.loss();
            grad[i] = p.gradNormSq();
            dist[i] = p.distance();
        }
        return new RunResult(Json.writeCompact(t.summary()), step, loss, grad, dist, null);
    }

    static RunResult failed(String reason) {
        return new RunResult(null, null, null, null, null, reason);
    }

    /** The trained run as the driver stores it (only for a result without {@link #failure}). */
    SweepRun.Trained toTrained() {
        List<ResultsStore.Point> s = new ArrayList<>(step.length);
        for (int i = 0; i < step.length; i++) {
            s.add(new ResultsStore.Point(step[i], loss[i], gradNormSq[i], distance[i]));
        }
        return new SweepRun.Trained(Json.parseObject(summaryJson, "a Spark task's summary"), s);
    }
}
