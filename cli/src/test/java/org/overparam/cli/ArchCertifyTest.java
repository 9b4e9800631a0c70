package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * certify on a ResNet: the checks stated for any network measure the user's CNN (PL of least squares holds at a
 * generic initialization; the step from the kernel decreases the loss); those stated for fully connected nets report
 * their hypothesis unmet, naming the network.
 */
class ArchCertifyTest {
    @TempDir
    Path tmp;

    @Test
    void generalChecksRunAndFullyConnectedOnesSayWhyNot() throws Exception {
        Path out = tmp.resolve("cert");
        CliRuns.Run r = run("certify", "--checks", "pl-least-squares,ntk-max-step,lazy-training", "--arch",
                "conv:6:3,relu,res[conv:6:3,relu,conv:6:3],flatten,dense:1", "--dataset",
                "gaussian:n=12,d=36,image=1x6x6", "--parameterization", "ntk", "--steps", "50", "--threads", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String cert = Files.readString(out.resolve("certificate.json"));
        assertTrue(cert.matches("(?s).*\"id\"\\s*:\\s*\"pl-least-squares\".*?\"verdict\"\\s*:\\s*\"holds\".*"), cert);
        assertTrue(cert.matches("(?s).*\"id\"\\s*:\\s*\"ntk-max-step\".*?\"verdict\"\\s*:\\s*\"holds\".*"), cert);
        assertTrue(cert.contains("stated for fully connected networks; this run trains conv:6:3"), cert);
    }
}
