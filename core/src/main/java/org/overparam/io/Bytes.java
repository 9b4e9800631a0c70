package org.overparam.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.overparam.InputError;

/**
 * Bounded reading of byte counts that come from untrusted headers. A header may claim 2^40 elements;
 * we must fail with an {@link InputError} when the bytes are not there, not allocate the claim up
 * front. So reading proceeds in chunks that grow only as real bytes arrive.
 */
final class Bytes {

    /** Largest byte array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private static final int CHUNK = 1 << 20;

    private Bytes() {
    }

    /** What to say when fewer bytes than needed arrived: gets the number that did arrive. */
    interface Shortfall {
        String message(long got);
    }

    /**
     * Reads exactly {@code n} bytes or fails with {@code shortfall}'s message. Memory grows with the
     * bytes actually present, never with the claim.
     */
    static byte[] readExactly(InputStream in, long n, String source, Shortfall shortfall) {
        if (n > MAX_ARRAY) {
            throw new InputError(source + ": needs " + n + " bytes in one array, more than this tool supports ("
                    + MAX_ARRAY + "); split the data into smaller files");
        }
        int want = (int) n;
        byte[] buf = new byte[Math.min(want, CHUNK)];
        int got = 0;
        try {
            while (got < want) {
                if (got == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(want, Math.max(2L * buf.length, CHUNK)));
                }
                int r = in.read(buf, got, buf.length - got);
                if (r < 0) {
                    throw new InputError(shortfall.message(got));
                }
                got += r;
            }
        } catch (IOException e) {
            throw new InputError(source + ": cannot read (" + Json.oneLine(e) + "); "
                    + "check that the file is complete and readable", e);
        }
        return buf;
    }

    /** Reads everything that remains, failing with a clear message if it exceeds {@code limit} bytes. */
    static byte[] readAll(InputStream in, long limit, String source) {
        byte[] buf = new byte[64 * 1024];
        int got = 0;
        try {
            while (true) {
                if (got == buf.length) {
                    if (buf.length >= limit) {
                        throw new InputError(source + ": larger than " + limit
                                + " bytes, more than this reader supports; split the data into smaller files");
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, 2L * buf.length));
                }
                int r = in.read(buf, got, buf.length - got);
                if (r < 0) {
                    return Arrays.copyOf(buf, got);
                }
                got += r;
            }
        } catch (IOException e) {
            throw new InputError(source + ": cannot read (" + Json.oneLine(e) + "); "
                    + "check that the file is complete and readable", e);
        }
    }

    /** A parser of a stream whose total size is known ({@code size} &lt; 0: unknown). */
    @FunctionalInterface
    interface SizedReader<T> {
        T read(java.io.InputStream in, String name, long size) throws java.io.IOException;
    }

    /**
     * Opens {@code file} and parses it with {@code reader}, turning every I/O failure into the one-line
     * {@link org.overparam.InputError} all readers share.
     */
    static <T> T readFile(java.nio.file.Path file, SizedReader<T> reader) {
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            throw new org.overparam.InputError(file + ": cannot read (" + Json.oneLine(e) + "); check the path", e);
        }
        try (java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
            return reader.read(in, file.getFileName().toString(), size);
        } catch (java.io.IOException e) {
            throw new org.overparam.InputError(file + ": cannot read (" + Json.oneLine(e) + "); check the path", e);
        }
    }
}
