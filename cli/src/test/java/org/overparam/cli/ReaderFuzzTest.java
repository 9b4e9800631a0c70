package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.io.Npz;

/**
 * Issue 11: every reader fuzzed through the command line, not only the parser. A valid file is truncated,
 * bit-flipped, overwritten with huge length-like bytes or spliced with junk, given to the command that reads it,
 * and the command must end with exit 0, 2 or 3 — never 1 (a stack trace) — and touch no file outside its output
 * folder (inputs included). Seeded, so a failure repeats; {@code core}'s MalformedInputProperties fuzzes the
 * parsers themselves thousands of times, this checks what the commands do around them.
 */
class ReaderFuzzTest {
    private static final int CASES = 30;
    private static final Path FIX = Path.of("../core/src/test/resources/fixtures");

    @TempDir
    Path tmp;

    /** A file's contents mutated by 1–3 random operations. */
    static byte[] mutate(byte[] b, Random r) {
        byte[] x = b.clone();
        for (int k = 0, ops = 1 + r.nextInt(3); k < ops; k++) {
            int pos = x.length == 0 ? 0 : r.nextInt(Math.min(x.length, r.nextBoolean() ? 200 : x.length));
            switch (r.nextInt(5)) {
                case 0 -> x = Arrays.copyOf(x, pos); // truncate
                case 1 -> {
                    if (x.length > 0) {
                        x[pos] ^= (byte) (1 << r.nextInt(8)); // flip a bit
                    }
                }
                case 2 -> { // a length-like field set huge
                    for (int i = 0; i < 4 && pos + i < x.length; i++) {
                        x[pos + i] = (byte) (i == 3 ? 0x7F : 0xFF);
                    }
                }
                case 3 -> { // junk inserted
                    byte[] junk = new byte[1 + r.nextInt(12)];
                    r.nextBytes(junk);
                    byte[] y = new byte[x.length + junk.length];
                    System.arraycopy(x, 0, y, 0, pos);
                    System.arraycopy(junk, 0, y, pos, junk.length);
                    System.arraycopy(x, pos, y, pos + junk.length, x.length - pos);
                    x = y;
                }
                default -> { // a random byte
                    if (x.length > 0) {
                        x[pos] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return x;
    }

    /** Every file under dir except those under {@code out}, with its size and modification time. */
    private static Map<String, String> snapshot(Path dir, Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                if (!p.startsWith(out) && Files.isRegularFile(p)) {
                    m.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return m;
    }

    private record Case(String file, byte[] seed, Function<Path, String[]> args) {
    }

    private Case caseFor(String reader) throws IOException {
        Path x = tmp.resolve("X.npy");
        Npy.write(NdArray.of(new double[] {1, 0, 0, 0, 1, 0, 0.6, 0.8, 0}, 3, 3), x);
        Path out = tmp.resolve("out");
        byte[] model = Files.readAllBytes(FIX.resolve("torch/mlp_relu_tanh/state.npz"));
        Path torchX = FIX.resolve("torch/mlp_relu_tanh/X.npy").toAbsolutePath();
        return switch (reader) {
            case "npy" -> new Case("in.npy", Files.readAllBytes(x),
                    f -> new String[] {"kernel", "--kind", "hinf", "--data", f.toString(), "--out", out.resolve("K.npy").toString()});
            case "npz" -> new Case("m.npz", model, f -> new String[] {"eval", "--model", f.toString(), "--activation",
                    "relu,tanh", "--data", torchX.toString(), "--predictions", out.resolve("p.npy").toString()});
            case "safetensors" -> new Case("m.safetensors",
                    Files.readAllBytes(FIX.resolve("torch/mlp_relu_tanh/state.safetensors")),
                    f -> new String[] {"ntk", "--model", f.toString(), "--activation", "relu,tanh", "--data",
                            torchX.toString(), "--out", out.resolve("G.npy").toString()});
            case "idx" -> {
                Path d = Files.createDirectories(tmp.resolve("mnist"));
                Files.copy(FIX.resolve("idx/tiny-labels-idx1-ubyte"), d.resolve("t10k-labels-idx1-ubyte"));
                yield new Case("mnist/t10k-images-idx3-ubyte", Files.readAllBytes(FIX.resolve("idx/tiny-images-idx3-ubyte")),
                        f -> new String[] {"kernel", "--kind", "hinf", "--dataset", "mnist:dir=" + d});
            }
            case "cifar" -> {
                Path d = Files.createDirectories(tmp.resolve("cifar"));
                byte[] rec = new byte[2 * 3073];
                new Random(1).nextBytes(rec);
                rec[0] = 1;
                rec[3073] = 7;
                yield new Case("cifar/data_batch_1.bin", rec,
                        f -> new String[] {"kernel", "--kind", "hinf", "--dataset", "cifar10:dir=" + d});
            }
            case "csv" -> new Case("d.csv", "a,b,label\n1,2,0\n-3.5,4e1,1\n0,1,1\n".getBytes(),
                    f -> new String[] {"kernel", "--kind", "hinf", "--dataset", "csv:file=" + f + ",label=last"});
            case "config" -> new Case("config.json", ("{\"config\": {\"dataset\": \"sphere:n=8,d=3\", \"hidden\": \"4\", "
                    + "\"steps\": 3, \"lr\": 0.1, \"threads\": 1, \"out\": \"" + out + "\"}}").getBytes(),
                    f -> new String[] {"train", "--config", f.toString()});
            case "checkpoint" -> {
                Map<String, NdArray> ck = new java.util.LinkedHashMap<>();
                int p = 3 * 4 + 4;
                ck.put("step", NdArray.vector(1));
                ck.put("parameters", NdArray.of(new double[p], p));
                ck.put("initial_parameters", NdArray.of(new double[p], p));
                ck.put("velocity", NdArray.of(new double[0], 0));
                yield new Case("ck.npz", Npz.toBytes(ck), f -> new String[] {"train", "--dataset", "sphere:n=8,d=3",
                        "--hidden", "4", "--no-bias", "--steps", "4", "--lr", "0.1", "--threads", "1", "--resume",
                        f.toString(), "--out", out.toString()});
            }
            case "sweep" -> new Case("s.yaml", ("base: {dataset: \"sphere:n=8,d=3\", hidden: \"4\", steps: 2, lr: 0.1}\n"
                    + "grid: {seed: [0, 1]}\n").getBytes(), f -> new String[] {"sweep", f.toString(), "--db",
                    out.resolve("r.duckdb").toString(), "--out", out.resolve("runs").toString()});
            default -> throw new IllegalArgumentException(reader);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"npy", "npz", "safetensors", "idx", "cifar", "csv", "config", "checkpoint", "sweep"})
    void mutatedFilesNeverCrashACommandNorTouchOtherFiles(String reader) throws IOException {
        Case c = caseFor(reader);
        Path out = tmp.resolve("out");
        Path file = tmp.resolve(c.file());
        Random r = new Random(reader.hashCode());
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Files.write(file, i == 0 ? c.seed() : mutate(c.seed(), r));
            OutputFolderCleanup.delete(out);
            Map<String, String> before = snapshot(tmp, out);
            CliRuns.Run run = CliRuns.run(c.args().apply(file));
            codes.add(String.valueOf(run.code()));
            assertTrue(run.code() == 0 || run.code() == 2 || run.code() == 3, reader + " case " + i + ": exit " + run.code()
                    + "\n" + run.err());
            assertFalse(run.err().contains("\tat "), run.err());
            assertEquals(before, snapshot(tmp, out), reader + " case " + i + " touched a file outside its output");
            if (i == 0) {
                assertEquals(0, run.code(), "the unmutated " + reader + " file must work: " + run.err());
            }
        }
        assertTrue(codes.contains("2"), reader + ": no mutation was refused, so the fuzzing reached nothing: " + codes);
    }

    /** Removes the previous case's output (a test helper; the commands themselves never delete a user's files). */
    static final class OutputFolderCleanup {
        static void delete(Path p) throws IOException {
            if (!Files.exists(p)) {
                return;
            }
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }
    }
}
