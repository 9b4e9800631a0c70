package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.cli.CliRuns.Run;
import org.overparam.experiment.UniformWidth;

/** randomization and deep-vs-wide end to end, tiny: seconds each. */
class StudyCliTest {
    static final Path MNIST = Path.of("../../shared/data/mnist");

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cells(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("cells");
    }

    @Test
    @SuppressWarnings("unchecked")
    void randomizationOnRealMnistWritesTheReportAndResumes() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(MNIST), "MNIST test set not present");
        String out = tmp.resolve("rand").toString();
        String[] args = {"randomization", "--data-dir", MNIST.toString(), "--classes", "0/1", "--n", "40", "--test-n",
            "20", "--hidden", "16", "--max-steps", "200", "--seeds", "1", "--p", "1", "--workers", "2", "--out", out,
            "--json"};
        Map<String, Object> j = CliRuns.json(CliRuns.run(args));
        List<Map<String, Object>> cells = cells(j);
        assertEquals(List.of("corrupted labels", "corrupted labels", "shuffled pixels", "random pixels",
                "Gaussian inputs"), cells.stream().map(c -> c.get("curve")).toList());
        for (Map<String, Object> c : cells) {
            assertEquals(1, ((Number) c.get("stored")).intValue(), c.toString());
            Map<String, Object> t = (Map<String, Object>) c.get("test_error");
            assertEquals(1, ((Number) t.get("count")).intValue());
            // a steps-to-fit median is given only for runs that fit within the budget
            Map<String, Object> s = (Map<String, Object>) c.get("steps_to_fit");
            assertEquals(((Number) c.get("fitted")).intValue() == 1, s.get("median") != null, c.toString());
        }
        // true labels on two MNIST digits: fits and generalizes (test error well below chance)
        Map<String, Object> truth = (Map<String, Object>) cells.get(0).get("test_error");
        assertTrue(((Number) truth.get("median")).doubleValue() < 0.25, truth.toString());
        Path dir = Path.of(out);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("Time to fit against label corruption") && html.contains("Every cell"));
        assertTrue(Files.readString(dir.resolve("test-error.svg")).contains("<svg"));
        assertTrue(Files.isRegularFile(dir.resolve("randomization.json")));
        Map<String, Object> again = CliRuns.json(CliRuns.run(args));
        assertEquals(0, ((Number) ((Map<String, Object>) again.get("runs")).get("run")).intValue());
        assertEquals(cells, cells(again));
    }

    /** The small-CNN preset (--arch cnn) at a tiny size: every cell trains that network (20,490 parameters at 28x28). */
    @Test
    void randomizationPresetCnnOnMnist() {
        Assumptions.assumeTrue(Files.isDirectory(MNIST), "MNIST test set not present");
        Map<String, Object> j = CliRuns.json(CliRuns.run("randomization", "--data-dir", MNIST.toString(), "--arch", "cnn",
                "--n", "30", "--test-n", "10", "--max-steps", "20", "--seeds", "1", "--p", "1", "--workers", "2",
                "--out", tmp.resolve("cnn").toString(), "--json"));
        List<Map<String, Object>> cells = cells(j);
        assertEquals(5, cells.size());
        // conv 1->16 (144 + 16), conv 16->32 (4608 + 32), dense over 32 x 7 x 7 to 10 (15680 + 10)
        long params = 160 + 4640 + 15690;
        for (Map<String, Object> c : cells) {
            assertEquals(params, ((Number) c.get("parameters")).longValue(), c.toString());
            assertEquals(RandomizationCommand.SMALL_CNN, c.get("hidden"), c.toString());
        }
    }

    @Test
    void deepVsWideOnSphereDataMatchesTheSolvedCounts() {
        String out = tmp.resolve("dw").toString();
        Map<String, Object> j = CliRuns.json(CliRuns.run("deep-vs-wide", "--dataset", "margin:n=30,d=5,gamma=0.2",
                "--test-split", "0.33", "--params", "40,200", "--depths", "1,2", "--seeds", "1", "--max-steps", "300",
                "--workers", "2", "--out", out, "--json"));
        List<Map<String, Object>> cells = cells(j);
        assertEquals(4, cells.size());
        for (Map<String, Object> c : cells) {
            int depth = Integer.parseInt(((String) c.get("curve")).substring("depth ".length()));
            long target = ((Number) c.get("x")).longValue();
            UniformWidth w = UniformWidth.forParameters(5, 1, depth, target, true); // logistic: one output
            assertEquals(w.parameters(), ((Number) c.get("parameters")).longValue(), c.toString());
            assertEquals(w.hidden(depth), c.get("hidden"));
        }
        assertEquals(2, ((List<?>) j.get("smallest_fitting")).size());
        assertTrue(Files.isRegularFile(Path.of(out, "report.html")));
        assertTrue(Files.isRegularFile(Path.of(out, "steps-to-fit-1.svg")));
    }

    /**
     * A CNN template on 1x4x4 images: each cell's net is the template at its depth L and the m whose count is closest
     * to the target, counted here by hand (biases on: conv 1 -> m, L convs m -> m, dense over 16m features to 1).
     */
    @Test
    @SuppressWarnings("unchecked")
    void deepVsWideOnACnnTemplateSolvesTheChannelsForEachCount() {
        String template = "conv:m:3,relu,[conv:m:3,relu]*L,flatten,dense:1";
        String out = tmp.resolve("dwa").toString();
        Map<String, Object> j = CliRuns.json(CliRuns.run("deep-vs-wide", "--arch", template, "--dataset",
                "margin:n=30,d=16,gamma=0.2,image=1x4x4", "--test-split", "0.33", "--params", "200,800", "--depths", "1,2",
                "--seeds", "1", "--max-steps", "300", "--workers", "2", "--out", out, "--json"));
        List<Map<String, Object>> cells = cells(j);
        assertEquals(4, cells.size());
        for (Map<String, Object> c : cells) {
            int depth = Integer.parseInt(((String) c.get("curve")).substring("depth ".length()));
            long target = ((Number) c.get("x")).longValue();
            int best = 1;
            for (int m = 2; m < 200; m++) {
                if (Math.abs(cnnCount(m, depth) - target) < Math.abs(cnnCount(best, depth) - target)) {
                    best = m;
                }
            }
            assertEquals(cnnCount(best, depth), ((Number) c.get("parameters")).longValue(), c.toString());
            String conv = "conv:" + best + ":3,relu";
            assertEquals(String.join(",", java.util.Collections.nCopies(depth + 1, conv)) + ",flatten,dense:1",
                    c.get("hidden"));
        }
        assertEquals(template, ((Map<String, Object>) j.get("options")).get("arch"));
        assertTrue(((String) j.get("setup")).contains("--arch " + template));
        assertEquals(2, ((List<?>) j.get("smallest_fitting")).size());
    }

    private static long cnnCount(long m, int depth) {
        return 10 * m + depth * (9 * m * m + m) + 16 * m + 1;
    }

    @Test
    void deepVsWideOnMnistAndSphereSideBySide() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(MNIST), "MNIST test set not present");
        String out = tmp.resolve("dw2").toString();
        Map<String, Object> j = CliRuns.json(CliRuns.run("deep-vs-wide", "--dataset",
                "mnist:dir=" + MNIST + ",n=45,classes=0/1,seed=0", "--dataset", "margin:n=45,d=5,gamma=0.2",
                "--test-split", "0.33", "--params", "100,1700", "--depths", "1,2", "--seeds", "1", "--max-steps", "200",
                "--out", out, "--json"));
        // 100 parameters cannot be reached on MNIST (784 inputs): those cells are listed, not run
        assertEquals(6, cells(j).size());
        assertEquals(2, ((List<?>) j.get("not_run_below_width_one")).size());
        String html = Files.readString(Path.of(out, "report.html"));
        assertTrue(html.contains("Smallest parameter count that fits n points"));
        assertTrue(Files.isRegularFile(Path.of(out, "test-error-2.svg")));
    }

    @Test
    void helpRendersWithoutPicocliWarnings() {
        // picocli formats descriptions with String.format and warns on System.err about a bare '%'
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true));
        try {
            for (String cmd : List.of("randomization", "deep-vs-wide")) {
                Run r = CliRuns.run(cmd, "--help");
                assertEquals(0, r.code());
                assertTrue(r.out().contains("100% training"), r.out());
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals("", warnings.toString());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        String dir = tmp.toString();
        List<String[]> bad = List.of(
                new String[] {"randomization", "--data-dir", tmp.resolve("missing").toString()},
                new String[] {"randomization", "--data-dir", dir, "--p", "0,1.5"},
                new String[] {"randomization", "--data-dir", dir, "--p", ""},
                new String[] {"randomization", "--data-dir", dir, "--n", "0"},
                new String[] {"randomization", "--data-dir", dir, "--n", "5000000"},
                new String[] {"randomization", "--data-dir", dir, "--format", "imagenet"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=5,gamma=0.1", "--params", "3"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=5,gamma=0.1", "--params", ""},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=5,gamma=0.1", "--depths", "0"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=5,gamma=0.1", "--params", "99999999999999"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=5,gamma=0.1", "--test-split", "1.5"},
                new String[] {"deep-vs-wide", "--dataset", "nope:x=1"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=16,gamma=0.1,image=1x4x4", "--arch",
                    "conv:m:3,relu,flatten,dense:1"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=16,gamma=0.1,image=1x4x4", "--arch",
                    "conv:4:3,relu,[conv:4:3]*L,flatten,dense:1"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=16,gamma=0.1,image=1x4x4", "--arch",
                    "conv:m:3,relu,[avgpool:m]*L,flatten,dense:1"},
                new String[] {"deep-vs-wide", "--dataset", "margin:n=20,d=16,gamma=0.1", "--arch",
                    "conv:m:3,relu,[conv:m:3]*L,flatten,dense:1"});
        for (String[] args : bad) {
            String[] withOut = java.util.Arrays.copyOf(args, args.length + 2);
            withOut[args.length] = "--out";
            withOut[args.length + 1] = tmp.resolve("o").toString();
            Run r = CliRuns.run(withOut);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines().size(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("overparam: error: "), r.err());
        }
        assertTrue(!Files.exists(tmp.resolve("o")), "nothing is written for bad input");
    }
}
