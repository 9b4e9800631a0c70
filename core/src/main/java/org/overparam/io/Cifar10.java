package org.overparam.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.overparam.InputError;

/**
 * Reads CIFAR-10 binary batches (Krizhevsky 2009; https://www.cs.toronto.edu/~kriz/cifar.html,
 * "Binary version"): each record is one label byte (0..9) followed by 3072 pixel bytes — the 1024 red
 * values, then green, then blue, each a 32×32 image in row-major order (CHW). A batch file
 * ({@code data_batch_1.bin} ... {@code data_batch_5.bin}, {@code test_batch.bin}) holds 10000 records.
 * Pixels are returned as raw 0..255 values.
 */
public final class Cifar10 {

    /** Bytes per record: 1 label + 3×32×32 pixels. */
    public static final int RECORD = 3073;
    /** Pixels per image. */
    public static final int PIXELS = 3072;

    /**
     * A batch of images.
     *
     * @param images shape (n, 3072), CHW order, values 0..255
     * @param labels shape (n,), values 0..9
     */
    public record Batch(NdArray images, NdArray labels) {
        public int n() {
            return labels.size();
        }
    }

    private Cifar10() {
    }

    /** Reads one binary batch file. */
    public static Batch read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + Json.oneLine(e) + "); check the path", e);
        }
        checkSize(size, file.getFileName().toString());
        if (size > Bytes.MAX_ARRAY) {
            throw new InputError(file + ": " + size + " bytes is too large for one CIFAR-10 batch; "
                    + "use the original 10000-record batch files");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + Json.oneLine(e) + "); check the path", e);
        }
        return read(bytes, file.getFileName().toString());
    }

    /** Reads and concatenates several batch files, in the given order. */
    public static Batch readAll(List<Path> files) {
        if (files.isEmpty()) {
            throw new InputError("no CIFAR-10 batch files given; point to a directory with data_batch_*.bin");
        }
        List<Batch> parts = new ArrayList<>();
        long n = 0;
        for (Path f : files) {
            Batch b = read(f);
            parts.add(b);
            n += b.n();
        }
        if (n * PIXELS > Bytes.MAX_ARRAY) {
            throw new InputError("CIFAR-10: " + n + " images are too many for one array; read fewer batches");
        }
        double[] x = new double[(int) n * PIXELS];
        double[] y = new double[(int) n];
        int row = 0;
        for (Batch b : parts) {
            System.arraycopy(b.images.data(), 0, x, row * PIXELS, b.n() * PIXELS);
            System.arraycopy(b.labels.data(), 0, y, row, b.n());
            row += b.n();
        }
        return new Batch(NdArray.of(x, (int) n, PIXELS), NdArray.of(y, (int) n));
    }

    /** Reads a batch from bytes; {@code name} appears in error messages. */
    public static Batch read(byte[] bytes, String name) {
        checkSize(bytes.length, name);
        int n = bytes.length / RECORD;
        double[] x = new double[n * PIXELS];
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            int base = r * RECORD;
            int label = bytes[base] & 0xFF;
            if (label > 9) {
                throw new InputError(name + ": record " + r + " has label " + label
                        + ", not 0..9 — this is not a CIFAR-10 binary batch (CIFAR-100 has 2 label bytes); "
                        + "use the CIFAR-10 binary version");
            }
            y[r] = label;
            for (int p = 0; p < PIXELS; p++) {
                x[r * PIXELS + p] = bytes[base + 1 + p] & 0xFF;
            }
        }
        return new Batch(NdArray.of(x, n, PIXELS), NdArray.of(y, n));
    }

    private static void checkSize(long size, String name) {
        if (size == 0 || size % RECORD != 0) {
            throw new InputError(name + ": " + size + " bytes is not a positive multiple of " + RECORD
                    + " (1 label + 3072 pixels per record); the file is truncated or not a CIFAR-10 binary batch"
                    + " — download the \"CIFAR-10 binary version\"");
        }
    }
}
