package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.NPY;
import static org.overparam.io.Fixtures.assertSameArray;
import static org.overparam.io.Fixtures.inputError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @Test
    void readsHandWrittenFixtureInOffsetOrder() {
        Safetensors.Contents c = Safetensors.read(NPY.resolve("tensors.safetensors"));
        assertEquals(List.of("zeta", "alpha", "bf", "half", "ids", "small", "pix", "mask", "scalar"),
                List.copyOf(c.tensors().keySet()));
        for (String k : c.tensors().keySet()) {
            assertSameArray(Fixtures.expected("tensors.safetensors:" + k), c.tensors().get(k));
        }
        assertEquals(Map.of("format", "pt", "note", "hand-written"), c.metadata());
    }

    @Test
    void roundTrip(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("w2", NdArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        m.put("b1", NdArray.vector(-0.5, Double.NaN));
        m.put("s", NdArray.of(new double[] {7}));
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(m, Map.of("epoch", "3"), f);
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(m, c.tensors());
        assertEquals(List.of("w2", "b1", "s"), List.copyOf(c.tensors().keySet()));
        assertEquals(Map.of("epoch", "3"), c.metadata());
        byte[] b = Safetensors.toBytes(m, Map.of());
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
    }

    @Test
    void rejectsMalformedHeaders() {
        String[] bad = {
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", // shape/offset disagree
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]}}", // overlap
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", // hole + out of range
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}}", // beyond buffer
            "{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", // unknown dtype
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[1]}}", // missing offsets
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},", // bad JSON
            "{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
            "[1]",
        };
        for (String h : bad) {
            String m = inputError(() -> Safetensors.read(file(h, 8), "bad.safetensors"));
            assertTrue(m.startsWith("bad.safetensors"), m);
        }
    }

    @Test
    void headerLengthBeyondFile() {
        byte[] b = file("{}", 0);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        String m = inputError(() -> Safetensors.read(b, "huge.safetensors"));
        assertTrue(m.contains("100 MB"), m);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        String m2 = inputError(() -> Safetensors.read(b, "cut.safetensors"));
        assertTrue(m2.contains("truncated"), m2);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
        inputError(() -> Safetensors.read(b, "neg.safetensors"));
    }

    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }
}
