package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: {@code ntk --model} hung once in ~45 runs: main was in Blas.load holding JavaCPP's Loader lock while the
 * model-reader thread was in Pointer's class initializer, waiting for that lock. The race exists only in a fresh
 * JVM, so this starts the command in 12 fresh JVMs (two at a time) and asserts that each ends with exit 0. The
 * 5-minute bound is a hang guard, not a speed assertion: a run takes about a second.
 */
class NativeLoadRaceTest {
    @TempDir
    Path dir;

    @Test
    void theModelReaderNeverDeadlocksTheNativeLoad() throws Exception {
        Path torch = Path.of("../core/src/test/resources/fixtures/torch/mlp_relu_tanh").toAbsolutePath();
        String[] args = {"ntk", "--model", torch.resolve("state.npz").toString(), "--activation", "relu,tanh", "--data",
            torch.resolve("X.npy").toString(), "--layers", "last", "--spectrum"};
        for (int round = 0; round < 6; round++) {
            List<Process> ps = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                File log = dir.resolve("run-" + round + "-" + k + ".log").toFile();
                ps.add(CliRuns.childJvm(args).redirectErrorStream(true).redirectOutput(log).start());
            }
            for (int k = 0; k < ps.size(); k++) {
                Process p = ps.get(k);
                boolean ended = p.waitFor(5, TimeUnit.MINUTES);
                if (!ended) {
                    p.destroyForcibly();
                }
                String log = Files.readString(dir.resolve("run-" + round + "-" + k + ".log"));
                assertTrue(ended, "ntk --model hung (round " + round + "): " + log);
                assertEquals(0, p.exitValue(), log);
            }
        }
    }
}
