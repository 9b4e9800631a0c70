package org.overparam.cli;

import static org.overparam.cli.CliRuns.run;
import org.overparam.cli.CliRuns.Run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.Json;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.io.Npz;
import org.overparam.io.Safetensors;
import org.overparam.nn.ModelFile;
import picocli.CommandLine;

/**
 * The command line end to end through {@link Main#execute}: output folder contents, --json, reproducibility,
 * exit codes and one-line messages for user mistakes, divergence, eval, model files, checkpoints, help.
 * Every problem is tiny (n ≤ 200, widths ≤ 32, ≤ 50 steps) and runs on one thread (bit-reproducible).
 */
class CliTest {
    private static final String SPHERE = "sphere:n=20,d=5";
    private static final List<String> HEADER = List.of("step", "epoch", "lr", "loss", "train_loss", "train_accuracy",
            "grad_norm_sq", "distance_from_init", "distance_layer0", "distance_layer1", "test_loss", "test_accuracy",
            "seconds");

    @TempDir
    Path tmp;

    /** train with one thread plus the given arguments. */
    static Run train(String... args) {
        List<String> a = new ArrayList<>(List.of("train", "--threads", "1"));
        a.addAll(Arrays.asList(args));
        return run(a.toArray(String[]::new));
    }

    static void assertOk(Run r) {
        assertEquals(0, r.code(), () -> "exit code; stderr:\n" + r.err() + "\nstdout:\n" + r.out());
    }

    /** Exit 2, exactly one stderr line "overparam: error: ...", no stack trace, nothing on stdout. */
    static void assertBadInput(Run r) {
        assertEquals(2, r.code(), () -> "exit code; stderr:\n" + r.err() + "\nstdout:\n" + r.out());
        assertEquals(1, r.errLines().size(), () -> "stderr must be one line:\n" + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("overparam: error: "), line);
        assertFalse(line.contains("Exception") || line.contains("java.") || line.contains("\tat "), line);
        assertTrue(r.out().isEmpty(), () -> "stdout: " + r.out());
    }

    /** Neither DIR nor a hidden .DIR.partial-* sibling exists. */
    static void assertNoFolder(Path dir) throws IOException {
        assertFalse(Files.exists(dir), dir + " was created");
        assertNoPartial(dir);
    }

    static void assertNoPartial(Path dir) throws IOException {
        String prefix = "." + dir.getFileName() + ".partial";
        try (Stream<Path> s = Files.list(dir.getParent())) {
            List<Path> left = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertTrue(left.isEmpty(), "partial folders left behind: " + left);
        }
    }

    static Map<String, Object> json(Path file) {
        Object o = Json.read(file);
        assertInstanceOf(Map.class, o, file + " is not a JSON object");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        return m;
    }

    static double num(Map<String, Object> m, String key) {
        assertTrue(m.containsKey(key), () -> "no '" + key + "' in " + m);
        return ((Number) m.get(key)).doubleValue();
    }

    /** loss.csv as rows of cells (header first); every row has the header's number of cells. */
    static List<String[]> csv(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(line.split(",", -1));
        }
        for (String[] row : rows) {
            assertEquals(rows.get(0).length, row.length, () -> "ragged row " + String.join(",", row));
        }
        return rows;
    }

    /** The loss.csv rows without the last ("seconds") column. */
    static List<List<String>> withoutSeconds(Path file) throws IOException {
        List<String[]> rows = csv(file);
        assertEquals("seconds", rows.get(0)[rows.get(0).length - 1]);
        return rows.stream().map(r -> List.of(r).subList(0, r.length - 1)).toList();
    }

    static List<Double> lossColumn(Path file) throws IOException {
        List<String[]> rows = csv(file);
        int col = Arrays.asList(rows.get(0)).indexOf("loss");
        return rows.stream().skip(1).map(r -> Double.parseDouble(r[col])).toList();
    }

    /** Writes X (n, d) Gaussian and y (n,) = sum of the first two features, and returns {X, y}. */
    Path[] writeData(int n, int d, long seed) throws IOException {
        Random rng = new Random(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = rng.nextGaussian();
            }
            y[i] = x[i * d] + 0.5 * x[i * d + 1];
        }
        Path xp = tmp.resolve("X.npy");
        Path yp = tmp.resolve("y.npy");
        Npy.write(NdArray.of(x, n, d), xp);
        Npy.write(NdArray.of(y, n), yp);
        return new Path[] {xp, yp};
    }

    /** A 5 → 8 → 1 state dict (keys 0.weight, 0.bias, 2.weight, 2.bias) written with Npz. */
    Path writeModel(String name) throws IOException {
        Random rng = new Random(7);
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("0.weight", NdArray.of(rng.doubles(40).map(v -> v - 0.5).toArray(), 8, 5));
        m.put("0.bias", NdArray.of(new double[8], 8));
        m.put("2.weight", NdArray.of(rng.doubles(8).map(v -> v - 0.5).toArray(), 1, 8));
        m.put("2.bias", NdArray.of(new double[1], 1));
        Path p = tmp.resolve(name);
        Npz.write(m, p);
        return p;
    }

    // ---------------------------------------------------------------- 1. the output folder

    @Test
    void trainWritesTheOutputFolder() throws Exception {
        Path dir = tmp.resolve("run");
        Run r = train("--dataset", SPHERE, "--hidden", "32", "--steps", "50", "--out", dir.toString());
        assertOk(r);
        for (String f : List.of("config.json", "loss.csv", "metrics.jsonl", "loss.svg", "summary.json", "model.npz")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), "missing " + f);
        }
        assertNoPartial(dir);

        List<String[]> rows = csv(dir.resolve("loss.csv"));
        assertEquals(HEADER, List.of(rows.get(0)));
        assertEquals(51, rows.size() - 1);
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(Integer.toString(i - 1), rows.get(i)[0]);
            assertTrue(Double.isFinite(Double.parseDouble(rows.get(i)[3])));
        }

        List<String> jsonl = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(51, jsonl.size());
        for (int i = 0; i < jsonl.size(); i++) {
            Map<String, Object> m = Json.parseObject(jsonl.get(i), "metrics.jsonl");
            assertEquals((long) i, m.get("step"));
            assertTrue(m.containsKey("loss"));
        }

        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("loss.svg"))));
        assertEquals("svg", doc.getDocumentElement().getLocalName() == null ? doc.getDocumentElement().getTagName()
                : doc.getDocumentElement().getLocalName());

        Map<String, Object> summary = json(dir.resolve("summary.json"));
        assertEquals("completed", summary.get("status"));
        assertTrue(num(summary, "final_loss") < num(summary, "initial_loss"), summary::toString);
        assertEquals(50L, summary.get("steps"));

        Map<String, Object> config = json(dir.resolve("config.json"));
        assertTrue(config.get("config") instanceof Map<?, ?>);
        assertTrue(config.get("provenance") instanceof Map<?, ?>);

        ModelFile mf = ModelFile.read(dir.resolve("model.npz"));
        assertEquals(List.of("0.weight", "2.weight"), mf.weightKeys());
        assertEquals(List.of("0.bias", "2.bias"), mf.biasKeys());
        assertEquals(5, mf.inputDim());
        assertEquals(1, mf.outputDim());
        assertArrayEquals(new int[] {32}, mf.hidden());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                List.copyOf(Npz.read(dir.resolve("model.npz")).keySet()));

        // the human-readable report on stdout
        assertTrue(r.out().startsWith("completed: "), r.out());
    }

    // ---------------------------------------------------------------- 2. --json

    @Test
    void jsonPrintsExactlyOneObjectOnStdout() throws Exception {
        Path dir = tmp.resolve("run");
        Run r = train("--dataset", SPHERE, "--hidden", "16", "--steps", "20", "--out", dir.toString(), "--json");
        assertOk(r);
        assertTrue(r.out().endsWith("\n"));
        assertEquals(1, r.outLines().size(), r.out());
        Map<String, Object> m = Json.parseObject(r.out().strip(), "stdout");
        assertEquals("completed", m.get("status"));
        assertEquals(json(dir.resolve("summary.json")).get("final_loss"), m.get("final_loss"));
        // progress went to stderr
        assertTrue(r.err().contains("step 20/20"), r.err());
        assertFalse(r.out().contains("step 20/20"));
        // a mistake under --json: nothing on stdout, one line on stderr
        Path bad = tmp.resolve("bad");
        assertBadInput(train("--dataset", SPHERE, "--hidden", "16", "--lr", "0", "--out", bad.toString(), "--json"));
        assertNoFolder(bad);
        // a divergence under --json: still exactly one object on stdout
        Run d = train("--dataset", SPHERE, "--hidden", "16", "--steps", "20", "--lr", "1e6", "--out",
                tmp.resolve("div").toString(), "--json");
        assertEquals(3, d.code(), d.err());
        assertEquals(1, d.outLines().size(), d.out());
        assertEquals("diverged", Json.parseObject(d.out().strip(), "stdout").get("status"));
    }

    @Test
    void stopAtFitAndTargetLossEndTheRunAndReportWhen() throws Exception {
        Map<String, Object> fit = CliRuns.json(train("--dataset", "margin:n=40,d=5,gamma=0.2", "--loss", "logistic",
                "--hidden", "64", "--lr", "0.5", "--steps", "5000", "--stop-at-fit", "--out", tmp.resolve("fit").toString(),
                "--json"));
        assertEquals(true, fit.get("stopped_early"), fit.toString());
        assertEquals(1.0, fit.get("final_train_accuracy"));
        assertEquals(fit.get("steps_run"), fit.get("steps_to_fit"));
        Map<String, Object> tgt = CliRuns.json(train("--dataset", SPHERE, "--hidden", "32", "--lr", "0.5", "--steps", "2000",
                "--target-loss", "0.05", "--out", tmp.resolve("tgt").toString(), "--json"));
        assertTrue(((Number) tgt.get("final_loss")).doubleValue() <= 0.05, tgt.toString());
        assertEquals(tgt.get("steps_run"), tgt.get("steps_to_target"));
        assertBadInput(train("--dataset", SPHERE, "--hidden", "8", "--target-loss", "-1", "--out",
                tmp.resolve("neg").toString()));
        assertNoFolder(tmp.resolve("neg"));
    }

    // ---------------------------------------------------------------- 3. reproducibility

    @Test
    void sameCommandGivesIdenticalLossCsvAndConfigReproducesIt() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String[] common = {"--dataset", SPHERE, "--hidden", "32", "--steps", "50", "--seed", "3"};
        assertOk(train(cat(common, "--out", a.toString())));
        assertOk(train(cat(common, "--out", b.toString())));
        assertEquals(withoutSeconds(a.resolve("loss.csv")), withoutSeconds(b.resolve("loss.csv")));

        Path c = tmp.resolve("c");
        Run r = run("train", "--config", a.resolve("config.json").toString(), "--out", c.toString());
        assertOk(r);
        assertEquals(lossColumn(a.resolve("loss.csv")), lossColumn(c.resolve("loss.csv")));
        assertEquals(withoutSeconds(a.resolve("loss.csv")), withoutSeconds(c.resolve("loss.csv")));
        // a different seed is a different run
        Path d = tmp.resolve("d");
        assertOk(train("--dataset", SPHERE, "--hidden", "32", "--steps", "50", "--seed", "4", "--out", d.toString()));
        assertFalse(lossColumn(a.resolve("loss.csv")).equals(lossColumn(d.resolve("loss.csv"))));
    }

    static String[] cat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---------------------------------------------------------------- 4. bad input

    /** Runs train with --out tmp/out and asserts exit 2, one line, and no folder. Returns the message. */
    String badTrain(String... args) throws IOException {
        Path dir = tmp.resolve("out");
        Run r = train(cat(args, "--out", dir.toString()));
        assertBadInput(r);
        assertNoFolder(dir);
        return r.errLines().get(0);
    }

    @Test
    void missingDataFile() throws Exception {
        String msg = badTrain("--data", tmp.resolve("nope.npy").toString(), "--hidden", "8", "--steps", "5");
        assertTrue(msg.contains("nope.npy"), msg);
    }

    @Test
    void malformedNpyRandomBytes() throws Exception {
        Path[] xy = writeData(20, 5, 1);
        Path x = xy[0];
        Path y = xy[1];
        byte[] junk = new byte[300];
        new Random(1).nextBytes(junk);
        Files.write(x, junk);
        String msg = badTrain("--data", x.toString(), "--labels", y.toString(), "--hidden", "8", "--steps", "5");
        assertTrue(msg.contains("X.npy"), msg);
    }

    @Test
    void malformedNpyTruncated() throws Exception {
        Path[] xy = writeData(20, 5, 1);
        byte[] full = Npy.toBytes(Npy.read(xy[0]));
        Files.write(xy[0], Arrays.copyOf(full, full.length - 13));
        String msg = badTrain("--data", xy[0].toString(), "--labels", xy[1].toString(), "--hidden", "8", "--steps", "5");
        assertTrue(msg.contains("truncated"), msg);
        // cut inside the header, too
        Files.write(xy[0], Arrays.copyOf(full, 20));
        badTrain("--data", xy[0].toString(), "--labels", xy[1].toString(), "--hidden", "8", "--steps", "5");
    }

    @Test
    void labelsWithAnotherRowCount() throws Exception {
        Path[] xy = writeData(20, 5, 1);
        Npy.write(NdArray.of(new double[19], 19), xy[1]);
        String msg = badTrain("--data", xy[0].toString(), "--labels", xy[1].toString(), "--hidden", "8", "--steps", "5");
        assertTrue(msg.contains("20") && msg.contains("19"), msg);
    }

    @Test
    void nanInTheData() throws Exception {
        Path[] xy = writeData(20, 5, 1);
        double[] x = Npy.read(xy[0]).data().clone();
        x[17] = Double.NaN;
        Npy.write(NdArray.of(x, 20, 5), xy[0]);
        String msg = badTrain("--data", xy[0].toString(), "--labels", xy[1].toString(), "--hidden", "8", "--steps", "5");
        assertTrue(msg.toLowerCase().contains("nan") || msg.contains("finite"), msg);
    }

    @Test
    void negativeWidth() throws Exception {
        String msg = badTrain("--dataset", SPHERE, "--hidden", "32,-4", "--steps", "5");
        assertTrue(msg.contains("-4"), msg);
    }

    @Test
    void absurdWidthsAreAClearErrorNotAnOutOfMemoryTrace() throws Exception {
        String msg = badTrain("--dataset", SPHERE, "--hidden", "100000000,100000000", "--steps", "5");
        assertTrue(msg.contains("memory"), msg);
    }

    @Test
    void initModelWithHidden() throws Exception {
        Path m = writeModel("m.npz");
        String msg = badTrain("--dataset", SPHERE, "--init-model", m.toString(), "--hidden", "8", "--steps", "5");
        assertTrue(msg.contains("--init-model") && msg.contains("--hidden"), msg);
    }

    @Test
    void modelOutputDimMismatchingLabels() throws Exception {
        Path m = writeModel("m.npz");
        Path[] xy = writeData(20, 5, 1);
        Npy.write(NdArray.of(new double[40], 20, 2), xy[1]);
        String msg = badTrain("--data", xy[0].toString(), "--labels", xy[1].toString(), "--init-model", m.toString(),
                "--loss", "mse", "--steps", "5");
        assertTrue(msg.contains("outputs"), msg);
        // the same model trains on (n,) labels
        Npy.write(NdArray.of(new double[20], 20), xy[1]);
        assertOk(train("--data", xy[0].toString(), "--labels", xy[1].toString(), "--init-model", m.toString(),
                "--steps", "5", "--out", tmp.resolve("ok").toString()));
    }

    @Test
    void unknownActivation() throws Exception {
        String msg = badTrain("--dataset", SPHERE, "--hidden", "8", "--activation", "swishy", "--steps", "5");
        assertTrue(msg.contains("swishy"), msg);
    }

    @Test
    void unknownOptionIsAOneLineUsageError() throws Exception {
        String msg = badTrain("--dataset", SPHERE, "--hidden", "8", "--frobnicate", "3");
        assertTrue(msg.contains("--frobnicate"), msg);
        // a bad value for a typed option, and an unknown subcommand
        badTrain("--dataset", SPHERE, "--hidden", "8", "--steps", "many");
        assertBadInput(run("trian", "--steps", "3"));
    }

    @Test
    void negativeLearningRate() throws Exception {
        String msg = badTrain("--dataset", SPHERE, "--hidden", "8", "--steps", "5", "--lr", "-1");
        assertTrue(msg.contains("--lr"), msg);
    }

    @Test
    void logisticNeedsPlusMinusOneLabels() throws Exception {
        String msg = badTrain("--dataset", SPHERE, "--hidden", "8", "--steps", "5", "--loss", "logistic");
        assertTrue(msg.contains("±1") || msg.contains("+-1"), msg);
        // with sign labels it trains
        assertOk(train("--dataset", SPHERE + ",labels=sign", "--hidden", "8", "--steps", "5", "--loss", "logistic",
                "--out", tmp.resolve("ok").toString()));
    }

    @Test
    void outOfRangeOptionsAreRefusedNotIgnored() throws Exception {
        for (String[] opt : List.of(new String[] {"--subsample", "-3"}, new String[] {"--classes", "-1"},
                new String[] {"--checkpoint-every", "-1"}, new String[] {"--corrupt-labels", "-0.5"},
                new String[] {"--test-split", "-0.2"}, new String[] {"--steps", "-1"}, new String[] {"--threads", "0"},
                new String[] {"--batch", "0", "--optimizer", "sgd"}, new String[] {"--momentum", "1"})) {
            String msg = badTrain(cat(new String[] {"--dataset", SPHERE, "--hidden", "8", "--steps", "5"}, opt));
            assertTrue(msg.contains(opt[0]), () -> opt[0] + ": " + msg);
        }
        String msg = badTrain("--dataset", SPHERE, "--hidden", "8", "--optimizer", "sgd", "--batch", "1", "--epochs",
                "999999999999999999");
        assertTrue(msg.contains("--epochs"), msg);
        Path[] xy = writeData(20, 5, 1);
        Npy.write(NdArray.of(new double[0], 0, 5), xy[0]);
        Npy.write(NdArray.of(new double[0], 0), xy[1]);
        msg = badTrain("--data", xy[0].toString(), "--labels", xy[1].toString(), "--hidden", "8", "--steps", "5");
        assertTrue(msg.contains("no rows"), msg);
        assertBadInput(train("--dataset", SPHERE, "--hidden", "8", "--steps", "5", "--out", ""));
    }

    @Test
    void refusesAnExistingForeignFolderAndLeavesItUntouched() throws Exception {
        Path dir = tmp.resolve("precious");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("notes.txt"), "do not delete");
        Files.writeString(dir.resolve("sub/data.bin"), "x");
        Run r = train("--dataset", SPHERE, "--hidden", "8", "--steps", "5", "--out", dir.toString());
        assertBadInput(r);
        assertTrue(r.errLines().get(0).contains("--out"), r.err());
        assertEquals("do not delete", Files.readString(dir.resolve("notes.txt")));
        assertEquals("x", Files.readString(dir.resolve("sub/data.bin")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
        assertNoPartial(dir);
        // an earlier run's folder is replaced, an empty folder is used
        Path prev = tmp.resolve("prev");
        assertOk(train("--dataset", SPHERE, "--hidden", "8", "--steps", "5", "--out", prev.toString()));
        assertOk(train("--dataset", SPHERE, "--hidden", "8", "--steps", "7", "--out", prev.toString()));
        assertEquals(7L, json(prev.resolve("summary.json")).get("steps"));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertOk(train("--dataset", SPHERE, "--hidden", "8", "--steps", "5", "--out", empty.toString()));
        assertTrue(Files.isRegularFile(empty.resolve("summary.json")));
        assertNoPartial(prev);
        assertNoPartial(empty);
    }

    // ---------------------------------------------------------------- 5. divergence

    @Test
    void divergenceExitsWith3AndKeepsTheRecord() throws Exception {
        Path dir = tmp.resolve("run");
        Run r = train("--dataset", SPHERE, "--hidden", "32", "--steps", "50", "--lr", "1e6", "--out",
                dir.toString());
        assertEquals(3, r.code(), r.err());
        String last = r.errLines().get(r.errLines().size() - 1);
        assertTrue(last.matches(".*step \\d+.*"), last);
        assertTrue(last.contains("smaller --lr"), last);
        assertFalse(r.err().contains("Exception"), r.err());
        Map<String, Object> summary = json(dir.resolve("summary.json"));
        assertEquals("diverged", summary.get("status"));
        assertTrue(summary.containsKey("diverged_at_step"));
        assertFalse(Files.exists(dir.resolve("model.npz")));
        assertTrue(Files.isRegularFile(dir.resolve("loss.csv")));
        assertTrue(Files.isRegularFile(dir.resolve("config.json")));
        assertNoPartial(dir);
    }

    /** A command that lets a divergence escape: picocli's stub for any path that does not handle it itself. */
    @picocli.CommandLine.Command(name = "diverger")
    static final class Diverger implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new org.overparam.train.DivergenceException(7, Double.NaN, 0.5, 10.0);
        }
    }

    @Test
    void anEscapingDivergenceIsExit3AndOneLine() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.execute(new picocli.CommandLine(new Diverger()), new String[0], new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true));
        assertEquals(3, code, err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("diverger: diverged: training diverged at step 7"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    // ---------------------------------------------------------------- 6. eval

    @Test
    void evalReproducesTheTrainingLoss() throws Exception {
        Path[] xy = writeData(30, 4, 2);
        Path dir = tmp.resolve("run");
        assertOk(train("--data", xy[0].toString(), "--labels", xy[1].toString(), "--hidden", "24", "--steps", "40",
                "--out", dir.toString()));
        double finalLoss = num(json(dir.resolve("summary.json")), "final_loss");

        Path p = tmp.resolve("P.npy");
        Run r = run("eval", "--threads", "1", "--model", dir.resolve("model.npz").toString(), "--data",
                xy[0].toString(), "--labels", xy[1].toString(), "--predictions", p.toString(), "--json");
        assertOk(r);
        assertEquals(1, r.outLines().size(), r.out());
        Map<String, Object> m = Json.parseObject(r.out().strip(), "stdout");
        assertEquals("mse", m.get("loss"));
        assertEquals(finalLoss, num(m, "loss_value"), 1e-12);
        assertEquals(30L, m.get("n"));

        byte[] bytes = Files.readAllBytes(p);
        String header = new String(bytes, 0, Math.min(bytes.length, 128), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'<f8'"), header);
        NdArray pred = Npy.read(p);
        assertArrayEquals(new int[] {30, 1}, pred.shape());
        // the mse convention (1/(2n)) on the predictions
        double[] y = Npy.read(xy[1]).data();
        double s = 0;
        for (int i = 0; i < 30; i++) {
            s += (pred.data()[i] - y[i]) * (pred.data()[i] - y[i]);
        }
        assertEquals(finalLoss, s / 60, 1e-12);

        Run text = run("eval", "--threads", "1", "--model", dir.resolve("model.npz").toString(), "--data",
                xy[0].toString(), "--predictions", tmp.resolve("Q.npy").toString());
        assertOk(text);
        assertArrayEquals(pred.data(), Npy.read(tmp.resolve("Q.npy")).data());
    }

    @Test
    void evalBadInput() throws Exception {
        Path[] xy = writeData(20, 3, 2);
        Path m = writeModel("m.npz"); // takes 5 inputs
        Path p = tmp.resolve("P.npy");
        assertBadInput(run("eval", "--model", m.toString(), "--data", xy[0].toString(), "--predictions", p.toString()));
        assertBadInput(run("eval", "--model", tmp.resolve("none.npz").toString(), "--data", xy[0].toString(),
                "--predictions", p.toString()));
        assertBadInput(run("eval", "--data", xy[0].toString()));
        assertBadInput(run("eval", "--threads", "0", "--model", m.toString(), "--data", xy[0].toString(),
                "--predictions", p.toString())); // the RunOptions mixin's check (was an uncaught exception)
        assertFalse(Files.exists(p));
    }

    // ---------------------------------------------------------------- 7. model files and checkpoints

    @Test
    void saveModelAsSafetensors() throws Exception {
        Path dir = tmp.resolve("run");
        Path st = tmp.resolve("models/m.safetensors");
        assertOk(train("--dataset", SPHERE, "--hidden", "16", "--steps", "10", "--out", dir.toString(),
                "--save-model", st.toString()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                List.copyOf(Safetensors.read(st).tensors().keySet()));
        ModelFile a = ModelFile.read(st);
        ModelFile b = ModelFile.read(dir.resolve("model.npz"));
        assertArrayEquals(new int[] {16}, a.hidden());
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(b.weights().get(l).toArray(), a.weights().get(l).toArray());
            assertArrayEquals(b.biases().get(l).toArray(), a.biases().get(l).toArray());
        }
        try (Stream<Path> s = Files.list(st.getParent())) {
            assertEquals(List.of("m.safetensors"), s.map(q -> q.getFileName().toString()).toList());
        }
        // a model file name without a known extension is refused before training
        Path bad = tmp.resolve("bad");
        assertBadInput(train("--dataset", SPHERE, "--hidden", "16", "--steps", "10", "--out", bad.toString(),
                "--save-model", tmp.resolve("m.pt").toString()));
        assertNoFolder(bad);
    }

    @Test
    void resumeFromACheckpointReachesTheSameLoss() throws Exception {
        String[] common = {"--dataset", SPHERE, "--hidden", "32", "--seed", "5", "--momentum", "0.5", "--lr", "0.05"};
        Path full = tmp.resolve("full");
        assertOk(train(cat(common, "--steps", "50", "--out", full.toString())));
        double expected = num(json(full.resolve("summary.json")), "final_loss");

        // an "interrupted" run: 30 steps, a checkpoint every 20
        Path part = tmp.resolve("part");
        assertOk(train(cat(common, "--steps", "30", "--checkpoint-every", "20", "--out", part.toString())));
        Path ckpt = tmp.resolve("part.checkpoint.npz");
        assertTrue(Files.isRegularFile(ckpt), "no " + ckpt);
        assertEquals(21.0, Npz.read(ckpt).get("step").data()[0]);

        Path resumed = tmp.resolve("resumed");
        assertOk(train(cat(common, "--steps", "50", "--resume", ckpt.toString(), "--out", resumed.toString())));
        assertEquals(expected, num(json(resumed.resolve("summary.json")), "final_loss"), 1e-12);
        List<Double> a = lossColumn(full.resolve("loss.csv"));
        List<Double> b = lossColumn(resumed.resolve("loss.csv"));
        assertEquals(a.subList(21, 51), b);

        // a checkpoint of another architecture is refused
        Path other = tmp.resolve("other");
        assertBadInput(train("--dataset", SPHERE, "--hidden", "8", "--steps", "50", "--resume", ckpt.toString(),
                "--out", other.toString()));
        assertNoFolder(other);
    }

    // ---------------------------------------------------------------- 8. --version and --help

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarningsWithin80Columns() {
        // picocli formats descriptions with String.format and warns on System.err about a bare '%'
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true));
        java.util.Set<String> commands = new picocli.CommandLine(new Main()).getSubcommands().keySet();
        List<String> tooLong = new java.util.ArrayList<>();
        try {
            for (String cmd : commands) {
                if (cmd.equals("help")) {
                    continue;
                }
                Run r = run(cmd, "--help");
                assertEquals(0, r.code(), cmd);
                for (String line : r.outLines()) {
                    assertTrue(line.length() <= 80, cmd + " --help has a line over 80 columns: " + line);
                }
                // picocli wraps an over-long description line at 80 columns itself, breaking the layout
                // mid-formula, so the rendered width alone cannot fail: the lines as written must fit
                picocli.CommandLine.Model.CommandSpec spec = new picocli.CommandLine(new Main()).getSubcommands()
                        .get(cmd).getCommandSpec();
                for (String line : spec.usageMessage().description()) {
                    String shown = line.replace("%%", "%").replace("%n", "");
                    if (shown.length() > 80) {
                        tooLong.add(cmd + ": " + shown);
                    }
                }
            }
        } finally {
            System.setErr(saved);
        }
        assertTrue(commands.size() >= 13, commands.toString());
        assertEquals("", warnings.toString());
        assertTrue(tooLong.isEmpty(), "description lines over 80 columns:\n" + String.join("\n", tooLong));
    }

    @Test
    void versionNamesOverparamJavaAndOpenBlas() {
        Run r = run("--version");
        assertOk(r);
        List<String> lines = r.outLines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("overparam")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("Java")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("OpenBLAS")), r.out());
    }

    @Test
    void trainHelpStatesTheMseConventionAndEveryDefault() {
        Run r = run("train", "--help");
        assertOk(r);
        String help = r.out();
        assertTrue(help.contains("(1/(2n))"), help);
        assertFalse(help.contains("${DEFAULT-VALUE}"), help);
        String flat = help.replaceAll("\\s+", " ");
        String dense = help.replaceAll("\\s+", ""); // picocli wraps descriptions at any comma or space
        CommandLine cl = new CommandLine(new TrainCommand());
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp() || o.arity().max() == 0) {
                continue; // --help, --version and boolean flags (default: off)
            }
            String desc = String.join(" ", o.description()).replaceAll("\\s+", " ");
            String name = o.longestName();
            assertTrue(flat.contains(name), name);
            assertTrue(dense.contains(desc.replaceAll("\\s+", "")), () -> name + ": description not in the help: " + desc);
            if (o.defaultValue() != null) {
                assertTrue(desc.contains("default"), () -> name + " has default " + o.defaultValue()
                        + " but the help does not say so: " + desc);
            } else if (Stream.of("--hidden", "--threads").anyMatch(name::equals)) {
                assertTrue(desc.contains("default"), () -> name + ": " + desc);
            }
        }
        assertTrue(flat.contains("(default: 0.1)"), "--lr default");
        assertTrue(flat.contains("default 512"), "--hidden default");
        assertTrue(flat.contains("(default: mse"), "--loss default");
    }

    // ---------------------------------------------------------------- 9. SGD epochs

    @Test
    void sgdEpochsCountMinibatchSteps() throws Exception {
        Path dir = tmp.resolve("run");
        assertOk(train("--dataset", SPHERE, "--hidden", "16", "--optimizer", "sgd", "--batch", "8", "--epochs", "5",
                "--lr", "0.05", "--out", dir.toString()));
        List<String[]> rows = csv(dir.resolve("loss.csv"));
        assertEquals(16, rows.size() - 1);
        assertEquals(15L, json(dir.resolve("summary.json")).get("steps"));
        assertEquals("4", rows.get(rows.size() - 2)[1]); // step 14 is in epoch 4 (3 steps per epoch)
        Path bad = tmp.resolve("bad");
        assertBadInput(train("--dataset", SPHERE, "--hidden", "16", "--optimizer", "sgd", "--epochs", "5", "--steps",
                "10", "--out", bad.toString()));
        assertNoFolder(bad);
    }

    // ---------------------------------------------------------------- 10. data from files

    @Test
    void trainsOnNpyFiles() throws Exception {
        Path[] xy = writeData(40, 6, 9);
        Path dir = tmp.resolve("run");
        assertOk(train("--data", xy[0].toString(), "--labels", xy[1].toString(), "--hidden", "32", "--steps", "30",
                "--out", dir.toString()));
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(40L, s.get("n_train"));
        assertTrue(num(s, "final_loss") < num(s, "initial_loss"));
        Map<String, Object> config = json(dir.resolve("config.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> resolved = (Map<String, Object>) config.get("resolved");
        assertEquals(List.of(6L, 32L, 1L), resolved.get("widths"));
    }

    @Test
    void trainsOnMnist() throws Exception {
        Path mnist = Path.of("../../shared/data/mnist");
        Assumptions.assumeTrue(Files.isDirectory(mnist), "no MNIST at " + mnist.toAbsolutePath().normalize());
        Path dir = tmp.resolve("run");
        Run r = train("--dataset", "mnist:dir=../../shared/data/mnist,n=200,classes=0-9", "--one-hot", "--hidden",
                "32", "--steps", "20", "--out", dir.toString(), "--json");
        assertOk(r);
        Map<String, Object> s = Json.parseObject(r.out().strip(), "stdout");
        assertEquals(200L, s.get("n_train"));
        double acc = num(s, "final_train_accuracy");
        assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
        assertTrue(num(s, "final_loss") < num(s, "initial_loss"));
        ModelFile mf = ModelFile.read(dir.resolve("model.npz"));
        assertEquals(784, mf.inputDim());
        assertEquals(10, mf.outputDim());
    }
}
