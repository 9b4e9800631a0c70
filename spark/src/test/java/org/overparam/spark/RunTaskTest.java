package org.overparam.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.SweepSpec;
import org.overparam.io.Json;

/**
 * A task's handling of a run folder locked by another live process (no Spark needed): a first attempt reports
 * it as the run's failure, as the in-process sweep does; a retry, whose lock is normally the lost executor's,
 * waits until that process has ended and then trains the run.
 */
class RunTaskTest {
    @TempDir
    Path tmp;

    @Test
    void aRetryWaitsForTheLostAttemptsLockAndAFirstAttemptReportsIt() throws Exception {
        RunConfig c = SweepSpec.parse("""
                base: {dataset: "sphere:n=10,d=3", steps: 5, hidden: "4"}
                grid: {seed: [0]}
                """, "s").expand(tmp.resolve("runs")).get(0);
        String json = Json.writeCompact(c.toMap());
        // the lock a run holds on its folder (FolderLock): .NAME.lock next to it, holding its owner's pid; the
        // owner here is a live process, killed once the retry is seen waiting, like a lost executor's JVM
        Path folder = Path.of(c.out()).toAbsolutePath();
        Files.createDirectories(folder.getParent());
        Path lock = folder.resolveSibling("." + folder.getFileName() + ".lock");
        Process owner = new ProcessBuilder("sleep", "600").start();
        try {
            Files.createDirectory(lock);
            Files.writeString(lock.resolve("pid"), owner.pid() + "\n");

            RunResult first = RunTask.run(json, false);
            assertNotNull(first.failure());
            assertTrue(first.failure().contains("process " + owner.pid()), first.failure());

            CompletableFuture<RunResult> retry = CompletableFuture.supplyAsync(() -> RunTask.run(json, true));
            Thread.sleep(1500);
            assertFalse(retry.isDone(), "the retry ended while the lock's owner still ran: " + retry.getNow(null));
            owner.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            RunResult r = retry.get(5, TimeUnit.MINUTES);
            assertNull(r.failure(), r.failure());
            assertTrue(Files.isRegularFile(folder.resolve("summary.json")));
        } finally {
            owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
