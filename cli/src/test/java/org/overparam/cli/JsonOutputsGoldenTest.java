package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the JSON that users and scripts read — summary.json, certificate.json and the {@code --json} outputs of
 * train, ntk, kernel and certify — against committed files written by the hand-written JSON writer before the
 * results became Jackson-serialized records: the same keys in the same order, the same layout and every number
 * bit for bit (same text). Only what differs between runs is masked: timings, the output folder and the machine
 * and build facts of the provenance. Regenerate with {@code -Dgolden.update=true} (writes
 * src/test/resources/golden/) only when a change of the output is intended. The numbers are those of this
 * machine's OpenBLAS kernels; on another CPU, which may round differently, they are compared to 1e-6 relative
 * with everything around them still identical.
 */
class JsonOutputsGoldenTest {
    @TempDir
    Path dir;

    /** Keys whose values differ from run to run or machine to machine. */
    private static final Pattern VOLATILE = Pattern.compile(
            "(\"(?:[a-z_]*seconds[a-z_]*|created|overparam|git_commit|git_dirty|java|os|cpu|cores|blas"
                    + "|openblas_build_target|blas_threads|parallel_threads)\"\\s*:\\s*)"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\]\\s]+)");

    /** The same keys in the human-readable "key: value" lines of ntk and kernel. */
    private static final Pattern VOLATILE_LINE = Pattern.compile("(?m)^([a-z_]*seconds[a-z_]*: ).*$");

    private String masked(String json) {
        String s = VOLATILE_LINE.matcher(json.replace(dir.toString(), "<dir>")).replaceAll("$1<masked>");
        Matcher m = VOLATILE.matcher(s);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "\"<masked>\""));
    }

    private void pin(String name, String actual) throws IOException {
        String got = masked(actual);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/golden", name), got, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name)) {
            String want = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (want.equals(got)) {
                return; // bit for bit, as on the machine that wrote the files
            }
            // another CPU's OpenBLAS kernels may round differently: then the text around the numbers must still be
            // identical (keys, order, layout, number formats) and every number agree to 1e-6 relative
            assertEquals(NUMBER.matcher(want).replaceAll("#"), NUMBER.matcher(got).replaceAll("#"), name);
            Matcher a = NUMBER.matcher(want);
            Matcher b = NUMBER.matcher(got);
            while (a.find() && b.find()) {
                double x = Double.parseDouble(a.group());
                double y = Double.parseDouble(b.group());
                assertTrue(Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12,
                        name + ": " + a.group() + " vs " + b.group());
            }
        }
    }

    /** A JSON or text number (not inside a word such as a key or "relu6"). */
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9.])-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?![A-Za-z_0-9])");

    private String file(String folder, String name) throws IOException {
        return Files.readString(dir.resolve(folder).resolve(name), StandardCharsets.UTF_8);
    }

    private static String ok(CliRuns.Run r, int code) {
        assertEquals(code, r.code(), r.err());
        return r.out();
    }

    @Test
    void trainSummaryWithTestSplit() throws IOException {
        String out = ok(CliRuns.run("train", "--dataset", "sphere:n=20,d=4", "--hidden", "32", "--lr", "0.5", "--steps",
                "15", "--record-every", "5", "--test-split", "0.2", "--threads", "1", "--out",
                dir.resolve("t").toString(), "--json"), 0);
        pin("train-split.json.txt", out);
        pin("train-split-summary.json", file("t", "summary.json"));
        // config.json from "resolved" on: its "config" object is RunConfig's own map (not part of this change)
        String config = file("t", "config.json");
        pin("train-split-config-resolved.json.txt", config.substring(config.indexOf("  \"resolved\": {")));
    }

    @Test
    void trainSummaryWithAccuracyAndTargets() throws IOException {
        String out = ok(CliRuns.run("train", "--dataset", "sphere:n=16,d=3,labels=sign", "--hidden", "8,8",
                "--activation", "tanh", "--loss", "logistic", "--lr", "0.2", "--steps", "12", "--record-every", "4",
                "--target-loss", "1e-9", "--stop-at-fit", "--threads", "1", "--out", dir.resolve("a").toString(),
                "--json"), 0);
        pin("train-targets.json.txt", out);
        pin("train-targets-summary.json", file("a", "summary.json"));
    }

    @Test
    void trainSummaryOfADivergedRun() throws IOException {
        String out = ok(CliRuns.run("train", "--dataset", "sphere:n=10,d=3", "--hidden", "16", "--lr", "1e6", "--steps",
                "20", "--threads", "1", "--out", dir.resolve("d").toString(), "--json"), 3);
        pin("train-diverged.json.txt", out);
        pin("train-diverged-summary.json", file("d", "summary.json"));
    }

    @Test
    void ntkJson() throws IOException {
        pin("ntk.json.txt", ok(CliRuns.run("ntk", "--hidden", "16", "--dataset", "sphere:n=8,d=3", "--json",
                "--threads", "1"), 0));
        pin("ntk-compare.json.txt", ok(CliRuns.run("ntk", "--hidden", "16,16", "--dataset", "sphere:n=6,d=3",
                "--compare-infinite", "--mc-widths", "8,32", "--mc-samples", "2", "--outputs", "trace", "--json",
                "--threads", "1"), 0));
    }

    @Test
    void ntkLinesWithoutSpectrum() throws IOException {
        // no --spectrum: the rank decided by a Cholesky attempt, or not computed; keys written with null
        pin("ntk-cholesky.txt", ok(CliRuns.run("ntk", "--hidden", "16", "--dataset", "sphere:n=8,d=3", "--out",
                dir.resolve("g.npy").toString(), "--threads", "1"), 0));
        pin("ntk-no-rank.txt", ok(CliRuns.run("ntk", "--hidden", "2", "--dataset", "sphere:n=60,d=3", "--out",
                dir.resolve("g2.npy").toString(), "--threads", "1"), 0));
        pin("ntk-spectrum.txt", ok(CliRuns.run("ntk", "--hidden", "16", "--dataset", "sphere:n=8,d=3", "--spectrum",
                "--compare-infinite", "--mc-widths", "8", "--mc-samples", "1", "--threads", "1"), 0));
    }

    @Test
    void kernelLinesAndOtherKinds() throws IOException {
        pin("kernel-rf.json.txt", ok(CliRuns.run("kernel", "--kind", "rf", "--activation", "tanh", "--dataset",
                "sphere:n=5,d=3", "--json", "--threads", "1"), 0));
        pin("kernel-nngp-out.txt", ok(CliRuns.run("kernel", "--kind", "nngp", "--depth", "1", "--dataset",
                "sphere:n=5,d=3", "--out", dir.resolve("k.npy").toString(), "--threads", "1"), 0));
    }

    @Test
    void kernelJson() throws IOException {
        pin("kernel-ntk.json.txt", ok(CliRuns.run("kernel", "--kind", "ntk", "--depth", "2", "--dataset",
                "sphere:n=6,d=3", "--json", "--threads", "1"), 0));
        pin("kernel-hinf.json.txt", ok(CliRuns.run("kernel", "--kind", "hinf", "--dataset", "sphere:n=6,d=3",
                "--json", "--threads", "1"), 0));
    }

    @Test
    void certifyJsonAndCertificate() throws IOException {
        String out = ok(CliRuns.run("certify", "--checks", "pl-least-squares,ntk-max-step", "--dataset",
                "sphere:n=8,d=3", "--hidden", "64", "--parameterization", "ntk", "--activation", "tanh", "--steps", "30",
                "--out", dir.resolve("c").toString(), "--json", "--threads", "1"), 0);
        pin("certify.json.txt", out);
        pin("certificate.json", file("c", "certificate.json"));
    }
}
