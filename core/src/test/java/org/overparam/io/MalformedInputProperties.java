package org.overparam.io;

import static org.overparam.io.Fixtures.IDX;
import static org.overparam.io.Fixtures.NPY;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.overparam.InputError;

/**
 * Fuzzing of every parser: valid bytes are truncated, bit-flipped, spliced, or have their length
 * fields set to huge values, and the parse must either succeed or throw an {@link InputError} with a
 * one-line message. Any other Throwable (EOFException, ArrayIndexOutOfBounds, NegativeArraySize,
 * OutOfMemoryError, NumberFormatException, ZipException, ...) fails the property.
 */
class MalformedInputProperties {

    private static final int TRIES = 1500;

    private static final List<byte[]> NPY_SEEDS = List.of(
            Fixtures.bytes(NPY.resolve("f8_le.npy")), Fixtures.bytes(NPY.resolve("fortran_i4_be.npy")),
            Fixtures.bytes(NPY.resolve("v2_f8.npy")), Fixtures.bytes(NPY.resolve("v3_f8.npy")),
            Fixtures.bytes(NPY.resolve("scalar.npy")), Fixtures.bytes(NPY.resolve("b1.npy")),
            Fixtures.bytes(NPY.resolve("refused_structured.npy")));
    private static final List<byte[]> NPZ_SEEDS = List.of(
            Fixtures.bytes(NPY.resolve("stored.npz")), Fixtures.bytes(NPY.resolve("compressed.npz")),
            Npz.toBytes(Map.of("a", NdArray.vector(1, 2, 3))));
    private static final List<byte[]> SAFETENSORS_SEEDS = List.of(
            Fixtures.bytes(NPY.resolve("tensors.safetensors")),
            Safetensors.toBytes(Map.of("w", NdArray.of(new double[] {1, 2, 3, 4}, 2, 2)), Map.of("k", "v")));
    private static final List<byte[]> IDX_SEEDS = List.of(
            Fixtures.bytes(IDX.resolve("tiny-images-idx3-ubyte")),
            Fixtures.bytes(IDX.resolve("tiny-images-idx3-ubyte.gz")),
            Fixtures.bytes(IDX.resolve("double-idx2-double")));
    private static final List<byte[]> CIFAR_SEEDS = List.of(cifar(2));
    private static final List<byte[]> CSV_SEEDS = List.of(
            "a,b,label\n1,2,0\n-3.5,4e1,1\n".getBytes(StandardCharsets.UTF_8),
            "0.5,1\n2,3\n".getBytes(StandardCharsets.UTF_8));
    private static final List<byte[]> JSON_SEEDS = List.of(
            "{\"a\": [1, -2.5e3, true, null, \"s\\u00e9\"], \"b\": {\"c\": [[], {}]}}".getBytes(StandardCharsets.UTF_8),
            Json.write(Map.of("loss", new double[] {1, Double.NaN}, "n", 3)).getBytes(StandardCharsets.UTF_8));

    @Property(tries = TRIES)
    void npy(@ForAll long seed) {
        check(NPY_SEEDS, seed, b -> Npy.read(b, "fuzz.npy"));
        check(NPY_SEEDS, seed, b -> Npy.read(new java.io.ByteArrayInputStream(b), "fuzz.npy"));
    }

    @Property(tries = TRIES)
    void npz(@ForAll long seed) {
        check(NPZ_SEEDS, seed, b -> Npz.read(b, "fuzz.npz"));
    }

    @Property(tries = TRIES)
    void safetensors(@ForAll long seed) {
        check(SAFETENSORS_SEEDS, seed, b -> Safetensors.read(b, "fuzz.safetensors"));
    }

    @Property(tries = TRIES)
    void idx(@ForAll long seed) {
        check(IDX_SEEDS, seed, b -> Idx.read(b, "fuzz-idx"));
    }

    @Property(tries = TRIES)
    void cifar10(@ForAll long seed) {
        check(CIFAR_SEEDS, seed, b -> Cifar10.read(b, "fuzz.bin"));
    }

    @Property(tries = TRIES)
    void csv(@ForAll long seed) {
        check(CSV_SEEDS, seed, b -> Csv.read(b, "fuzz.csv", -1));
        check(CSV_SEEDS, seed, b -> Csv.read(b, "fuzz.csv", 1));
    }

    @Property(tries = TRIES)
    void json(@ForAll long seed) {
        check(JSON_SEEDS, seed, b -> Json.parse(new String(b, StandardCharsets.UTF_8), "fuzz.json"));
    }

    static byte[] cifar(int n) {
        byte[] b = new byte[n * Cifar10.RECORD];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % Cifar10.RECORD == 0 ? i % 10 : i);
        }
        return b;
    }

    /** Mutates one of {@code seeds} (chosen by {@code seed}) and checks the parser's outcome. */
    static void check(List<byte[]> seeds, long seed, Consumer<byte[]> parse) {
        Random r = new Random(seed);
        byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
        try {
            parse.accept(input);
        } catch (InputError e) {
            String m = e.getMessage();
            if (m == null || m.isEmpty() || m.contains("\n") || m.contains("\r")) {
                throw new AssertionError("InputError message must be one non-empty line: " + m
                        + " for input " + hex(input));
            }
        } catch (Throwable t) {
            throw new AssertionError("parser threw " + t + " (not an InputError) for input " + hex(input), t);
        }
    }

    static String hex(byte[] b) {
        return b.length <= 600 ? HexFormat.of().formatHex(b) : b.length + " bytes";
    }

    static byte[] mutate(byte[] original, Random r) {
        List<Byte> b = new ArrayList<>(original.length + 16);
        for (byte x : original) {
            b.add(x);
        }
        int ops = 1 + r.nextInt(3);
        for (int k = 0; k < ops; k++) {
            int pos = b.isEmpty() ? 0 : r.nextInt(Math.min(b.size(), r.nextBoolean() ? 160 : b.size()));
            switch (r.nextInt(7)) {
                case 0 -> { // truncate
                    while (b.size() > pos) {
                        b.remove(b.size() - 1);
                    }
                }
                case 1 -> { // flip bits
                    if (!b.isEmpty()) {
                        b.set(pos, (byte) (b.get(pos) ^ (1 << r.nextInt(8))));
                    }
                }
                case 2 -> { // set a random byte
                    if (!b.isEmpty()) {
                        b.set(pos, (byte) r.nextInt(256));
                    }
                }
                case 3 -> { // insert random bytes
                    int n = 1 + r.nextInt(8);
                    for (int i = 0; i < n; i++) {
                        b.add(Math.min(pos, b.size()), (byte) r.nextInt(256));
                    }
                }
                case 4 -> { // delete a range
                    int n = 1 + r.nextInt(16);
                    for (int i = 0; i < n && pos < b.size(); i++) {
                        b.remove(pos);
                    }
                }
                case 5 -> { // a length field set to something huge (2, 4 or 8 bytes, either endianness)
                    int width = new int[] {2, 4, 8}[r.nextInt(3)];
                    byte fill = (byte) (r.nextBoolean() ? 0xFF : 0x7F);
                    for (int i = 0; i < width && pos + i < b.size(); i++) {
                        b.set(pos + i, i == 0 || r.nextBoolean() ? fill : (byte) 0xFF);
                    }
                }
                default -> { // a digit in text headers replaced by a huge or negative number
                    String big = new String[] {"99999999999", "1099511627776", "-1", "2147483647", "0",
                        "9223372036854775807"}[r.nextInt(6)];
                    int digit = -1;
                    for (int i = pos; i < b.size(); i++) {
                        if (b.get(i) >= '0' && b.get(i) <= '9') {
                            digit = i;
                            break;
                        }
                    }
                    if (digit >= 0) {
                        b.remove(digit);
                        byte[] s = big.getBytes(StandardCharsets.US_ASCII);
                        for (int i = s.length - 1; i >= 0; i--) {
                            b.add(digit, s[i]);
                        }
                    }
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
