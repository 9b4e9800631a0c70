package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.function.Executable;
import org.overparam.InputError;

/** Shared helpers: the committed fixtures (relative to the module directory) and message checks. */
final class Fixtures {

    static final Path NPY = Path.of("src/test/resources/fixtures/npy");
    static final Path IDX = Path.of("src/test/resources/fixtures/idx");

    private static Map<String, Object> expected;

    private Fixtures() {
    }

    static synchronized Map<String, Object> expected() {
        if (expected == null) {
            expected = Json.parseObject(read(NPY.resolve("expected.json")), "expected.json");
        }
        return expected;
    }

    /** The expected array recorded by make_fixtures.py under {@code key}. */
    @SuppressWarnings("unchecked")
    static NdArray expected(String key) {
        Map<String, Object> e = (Map<String, Object>) expected().get(key);
        if (e == null) {
            throw new AssertionError("no expected entry " + key);
        }
        List<Object> shape = (List<Object>) e.get("shape");
        List<Object> data = (List<Object>) e.get("data");
        int[] s = shape.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        double[] d = data.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
        return NdArray.of(d, s);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertSameArray(NdArray expected, NdArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertArrayEquals(expected.data(), actual.data(), 0.0, "data");
    }

    /** Asserts an InputError with a one-line message, and returns the message. */
    static String inputError(Executable e) {
        InputError err = assertThrows(InputError.class, e);
        String m = err.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), () -> "multi-line message: " + m);
        return m;
    }
}
