package org.overparam.spark;

import java.io.Serializable;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.SweepRun;
import org.overparam.io.Json;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Parallel;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One Spark task: the partition holds one run's config JSON; the task trains it on the executor and returns
 * a {@link RunResult}. A run's own failure ({@link SweepRun#failureReason}) comes back as a result, so it is
 * reported like the in-process sweep does and does not fail the job; anything else fails the task (our bug,
 * or a lost executor, which Spark retries).
 */
final class RunTask extends AbstractFunction1<Iterator<String>, RunResult> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public RunResult apply(Iterator<String> partition) {
        return run(partition.next());
    }

    static RunResult run(String configJson) {
        // An executor runs one task per core at once in one JVM, and OpenBLAS's and the elementwise pool's
        // thread counts are process-global: each run gets one thread, the parallelism is across tasks.
        Blas.setThreads(1);
        Parallel.setThreads(1);
        RunConfig c = RunConfig.fromMap(Json.parseObject(configJson, "sweep run"), "sweep run");
        try {
            return RunResult.of(SweepRun.train(c));
        } catch (RuntimeException e) {
            String reason = SweepRun.failureReason(e);
            if (reason == null) {
                throw e;
            }
            return RunResult.failed(reason);
        }
    }
}
