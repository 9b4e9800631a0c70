package org.overparam.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The numeric element types that the readers understand, with their size and a bulk decoder to double.
 * Shared by {@link Npy} (numpy dtype codes), {@link Safetensors} (F64, BF16, ...) and {@link Idx}
 * (IDX type codes 0x08..0x0E), so that each byte-level conversion is written and tested once.
 * Package-private: callers only ever see doubles in an {@link NdArray}.
 */
enum ElementType {
    F64(8, "float64"), F32(4, "float32"), F16(2, "float16"), BF16(2, "bfloat16"),
    I64(8, "int64"), I32(4, "int32"), I16(2, "int16"), I8(1, "int8"),
    U64(8, "uint64"), U32(4, "uint32"), U16(2, "uint16"), U8(1, "uint8"), BOOL(1, "bool");

    final int size;
    final String numpyName;

    ElementType(int size, String numpyName) {
        this.size = size;
        this.numpyName = numpyName;
    }

    /**
     * Decodes {@code out.length} elements starting at {@code offset} of {@code bytes}. The caller has
     * already checked that {@code offset + out.length * size <= bytes.length}.
     */
    void decode(byte[] bytes, int offset, ByteOrder order, double[] out) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        int n = out.length;
        switch (this) {
            case F64 -> b.position(offset).slice().order(order).asDoubleBuffer().get(out); // one bulk copy
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(offset + 4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToDouble(b.getShort(offset + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    // bfloat16 is the upper half of a float32 (Google Brain's format, as in safetensors)
                    out[i] = Float.intBitsToFloat((b.getShort(offset + 2 * i) & 0xFFFF) << 16);
                }
            }
            case I64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getLong(offset + 8 * i);
                }
            }
            case U64 -> {
                for (int i = 0; i < n; i++) {
                    long v = b.getLong(offset + 8 * i);
                    out[i] = v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
                }
            }
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(offset + 4 * i);
                }
            }
            case U32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(offset + 4 * i) & 0xFFFFFFFFL;
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(offset + 2 * i);
                }
            }
            case U16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(offset + 2 * i) & 0xFFFF;
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes[offset + i];
                }
            }
            case U8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes[offset + i] & 0xFF;
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes[offset + i] != 0 ? 1.0 : 0.0;
                }
            }
            default -> throw new AssertionError(this);
        }
    }

    /** IEEE 754 binary16 to double (exact: every half is representable). */
    static double halfToDouble(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits >>> 15) != 0 ? -1 : 1;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            return sign * mant * 0x1p-24; // subnormal or zero
        }
        if (exp == 31) {
            return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return sign * (1024 + mant) * Math.scalb(1.0, exp - 25);
    }
}
