package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.Json;

/** certify on a user's setup: verdicts, the certificate file, and bad input. */
class CertifyCliTest {
    @TempDir
    Path dir;

    static int run(StringWriter out, StringWriter err, String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void checksRunOnTheUsersSetupAndTheCertificateRecordsThem() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path folder = dir.resolve("c");
        int code = run(out, err, "certify", "--checks", "pl-least-squares,ntk-max-step", "--dataset", "sphere:n=8,d=3",
                "--hidden", "64", "--parameterization", "ntk", "--activation", "tanh", "--steps", "50", "--out",
                folder.toString(), "--json", "--threads", "1");
        assertEquals(0, code, err.toString());
        List<Map<String, Object>> checks = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(
                out.toString().strip())).get("checks");
        assertEquals(2, checks.size());
        assertEquals("holds", checks.get(0).get("verdict"), checks.get(0).toString());
        Map<String, Object> file = (Map<String, Object>) Json.read(folder.resolve("certificate.json"));
        assertEquals(2, ((List<?>) file.get("checks")).size());
        assertTrue(Files.readString(folder.resolve("report.html")).contains("pl-least-squares"));
        // the hypothesis is checked, not assumed: cross-entropy is not the square loss
        StringWriter out2 = new StringWriter();
        int code2 = run(out2, new StringWriter(), "certify", "--checks", "pl-least-squares", "--dataset",
                "sphere:n=6,d=3,labels=none", "--data", "x", "--out", dir.resolve("d").toString());
        assertEquals(2, code2); // both --dataset and --data: a user error
    }

    @Test
    void badInputIsOneLineAndNothingIsWritten() {
        for (String[] args : List.of(new String[] {"certify", "--checks", "nonsense", "--dataset", "sphere:n=5,d=3"},
                new String[] {"certify", "--dataset", "sphere:n=5,d=3"},
                new String[] {"certify", "--all", "--steps", "0"},
                new String[] {"certify", "--checks", "pl-least-squares", "--data", "missing.npy", "--labels", "y.npy"})) {
            StringWriter err = new StringWriter();
            Path out = dir.resolve("out" + args.length);
            String[] withOut = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--out", out.toString())).toArray(String[]::new);
            assertEquals(2, run(new StringWriter(), err, withOut), String.join(" ", args) + ": " + err);
            assertEquals(1, err.toString().strip().split("\n").length, err.toString());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void demoWritesTheRunAndItsTheoremChecks() throws Exception {
        Path out = dir.resolve("demo");
        StringWriter err = new StringWriter();
        int code = run(new StringWriter(), err, "demo", "--n", "12", "--d", "4", "--width", "256", "--steps", "50",
                "--lr", "5", "--out", out.toString(), "--threads", "1");
        assertEquals(0, code, err.toString());
        for (String f : List.of("loss.csv", "loss.svg", "summary.json", "config.json", "model.npz",
                "certificate/certificate.json", "certificate/report.html")) {
            assertTrue(Files.exists(out.resolve(f)), f + " missing");
        }
        String log = err.toString();
        assertTrue(log.contains("check pl-least-squares") && log.contains("check lazy-training"), log);
        assertFalse(log.contains(" violated "), log);
    }

    @Test
    void certifyOnAnMnistSubset() {
        Path mnist = Path.of("../../shared/data/mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST test set not present");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "certify", "--checks", "pl-least-squares,ntk-max-step", "--dataset",
                "mnist:dir=" + mnist + ",n=40,classes=0/1", "--one-hot", "--hidden", "64", "--out",
                dir.resolve("m").toString(), "--json", "--threads", "1");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("\"verdict\":\"holds\""), out.toString());
    }
}
