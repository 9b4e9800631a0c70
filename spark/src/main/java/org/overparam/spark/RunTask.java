package org.overparam.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.overparam.experiment.FolderBusyError;
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
 * or a lost executor, which Spark retries: the retry waits for the lost attempt's folder lock, see
 * {@link #RETRY_LOCK_WAIT_MS}).
 */
final class RunTask extends AbstractFunction1<Iterator<String>, RunResult> implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How long a retried task waits for its run's folder to be unlocked. The lock's owner is normally the lost
     * executor that ran the first attempt: its JVM outlives its killed worker for a moment (it exits when it
     * notices), and a second writer must not start before it has gone. Only a hang reaches this bound.
     */
    static final long RETRY_LOCK_WAIT_MS = 300_000;

    @Override
    public RunResult apply(Iterator<String> partition) {
        TaskContext t = TaskContext.get();
        return run(partition.next(), t != null && t.attemptNumber() > 0);
    }

    static RunResult run(String configJson) {
        return run(configJson, false);
    }

    /** @param retry whether an earlier attempt of this task ran on an executor since lost */
    static RunResult run(String configJson, boolean retry) {
        // An executor runs one task per core at once in one JVM, and OpenBLAS's and the elementwise pool's
        // thread counts are process-global: each run gets one thread, the parallelism is across tasks.
        Blas.setThreads(1);
        Parallel.setThreads(1);
        RunConfig c = RunConfig.fromMap(Json.parseObject(configJson, "sweep run"), "sweep run");
        long deadline = System.currentTimeMillis() + RETRY_LOCK_WAIT_MS;
        while (true) {
            try {
                return RunResult.of(SweepRun.train(c));
            } catch (FolderBusyError e) {
                // a first attempt meeting a locked folder is a user's conflict, reported like in-process
                if (!retry || System.currentTimeMillis() > deadline) {
                    return RunResult.failed(SweepRun.failureReason(e));
                }
                pause();
            } catch (RuntimeException e) {
                String reason = SweepRun.failureReason(e);
                if (reason == null) {
                    throw e;
                }
                return RunResult.failed(reason);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            // Spark interrupts a task it kills (job cancelled): end it
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lost executor's run to end", e);
        }
    }
}
