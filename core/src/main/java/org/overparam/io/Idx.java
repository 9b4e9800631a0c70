package org.overparam.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.overparam.InputError;

/**
 * Reads IDX files, the format of the MNIST database (LeCun, Cortes and Burges,
 * http://yann.lecun.com/exdb/mnist/, "file formats"): a 4-byte big-endian magic {@code 0x0000TTRR}
 * where TT is the element type and RR the number of dimensions (so {@code 0x00000803} is a 3-d ubyte
 * image file, {@code 0x00000801} a 1-d ubyte label file), then RR big-endian uint32 dimensions, then the
 * data in C order, big-endian. Type codes: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float,
 * 0x0E double.
 *
 * <p>Gzip compression ({@code .gz}, as MNIST is distributed) is recognised by the gzip magic bytes
 * {@code 1f 8b}, never by the file name. The result's shape equals the file's dimensions.
 */
public final class Idx {

    private Idx() {
    }

    /** Reads an IDX file, raw or gzip-compressed. */
    public static NdArray read(Path file) {
        return Bytes.readFile(file, Idx::read);
    }

    /** Reads IDX bytes, raw or gzip-compressed. */
    public static NdArray read(byte[] bytes, String name) {
        return read(new ByteArrayInputStream(bytes), name, bytes.length);
    }

    static NdArray read(InputStream raw, String name, long totalSize) {
        String redo = "; use the original MNIST-format (IDX) file";
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        boolean gz;
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            gz = b0 == 0x1f && b1 == 0x8b;
            if (gz) {
                in = new GZIPInputStream(in, 1 << 16);
                totalSize = -1; // the uncompressed size is unknown
            }
        } catch (IOException e) {
            throw new InputError(name + ": corrupt gzip data (" + Json.oneLine(e) + ")" + redo, e);
        }
        String kind = gz ? "gzip-compressed IDX" : "IDX";
        byte[] magic = Bytes.readExactly(in, 4, name, got -> name + ": not an IDX file (only " + got
                + " bytes, shorter than the 4-byte magic)" + redo);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new InputError(name + ": not an IDX file (magic must start with two zero bytes)" + redo);
        }
        ElementType type = switch (magic[2]) {
            case 0x08 -> ElementType.U8;
            case 0x09 -> ElementType.I8;
            case 0x0B -> ElementType.I16;
            case 0x0C -> ElementType.I32;
            case 0x0D -> ElementType.F32;
            case 0x0E -> ElementType.F64;
            default -> throw new InputError(name + ": unknown IDX type code 0x"
                    + String.format("%02X", magic[2] & 0xFF) + " (known: 08 09 0B 0C 0D 0E)" + redo);
        };
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new InputError(name + ": IDX file declares 0 dimensions" + redo);
        }
        byte[] db = Bytes.readExactly(in, 4L * rank, name, got -> name + ": truncated " + kind
                + " file (ends inside the " + rank + " dimension sizes)" + redo);
        ByteBuffer bb = ByteBuffer.wrap(db).order(ByteOrder.BIG_ENDIAN);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            long d = bb.getInt() & 0xFFFFFFFFL;
            if (d > Integer.MAX_VALUE) {
                throw new InputError(name + ": IDX dimension " + i + " is " + d + ", too large" + redo);
            }
            shape[i] = (int) d;
        }
        long count = NdArray.product(shape);
        long needed = NdArray.multiplySaturating(count, type.size);
        String desc = Npy.describe(shape) + " " + type.numpyName;
        if (needed > Bytes.MAX_ARRAY) {
            throw new InputError(name + ": header says " + desc + ", too large for one array here; "
                    + "the file is malformed" + redo);
        }
        long headerBytes = 4 + 4L * rank;
        if (totalSize >= 0 && totalSize - headerBytes != needed) {
            throw new InputError(name + ": " + (totalSize - headerBytes < needed ? "truncated" : "malformed")
                    + " — header says " + desc + " (" + needed + " bytes) but " + (totalSize - headerBytes)
                    + " bytes follow" + redo);
        }
        byte[] data = Bytes.readExactly(in, needed, name, got -> name + ": truncated " + kind + " — header says "
                + desc + " (" + needed + " bytes) but only " + got + " bytes follow" + redo);
        double[] values = new double[(int) count];
        type.decode(data, 0, ByteOrder.BIG_ENDIAN, values);
        return new NdArray(shape, values);
    }
}
