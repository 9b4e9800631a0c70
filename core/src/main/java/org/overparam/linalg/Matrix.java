package org.overparam.linalg;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A dense double-precision matrix, row-major, stored off the Java heap in a {@link DoublePointer} so that
 * OpenBLAS reads it in place (the {@code double[]} overloads copy through JNI and lose 25–40 %).
 *
 * <p>A matrix either owns its memory or is a view into a larger buffer (the flat parameter vector of a
 * network holds every layer's weights as views). Views must not outlive their owner. Owners are freed by
 * {@link #close()}; the JavaCPP deallocator also frees them when they become unreachable.
 */
public final class Matrix implements AutoCloseable {
    private final int rows;
    private final int cols;
    private final DoublePointer data;
    /**
     * The same memory as a direct buffer: element access without a JNI call per element. Null for a matrix past
     * {@link #MAX_BUFFERED} elements (a Java buffer addresses at most 2 GiB): such a matrix is used through BLAS and
     * through {@link #rowBlock} views only, and element access to it is an error that says so.
     */
    private final DoubleBuffer buf;

    /** The most elements one direct buffer can address: 2 GiB of doubles (an n × n matrix up to n = 16383). */
    public static final long MAX_BUFFERED = Integer.MAX_VALUE / Double.BYTES;
    private final boolean owner;

    private Matrix(int rows, int cols, DoublePointer data, boolean owner) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.owner = owner;
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " exceeds 2^31 elements");
        }
        data.limit(data.position() + Math.max(n, 1));
        this.buf = n <= MAX_BUFFERED ? data.asBuffer() : null;
    }

    /** A new zero matrix. */
    public static Matrix zeros(int rows, int cols) {
        checkShape(rows, cols);
        long n = (long) rows * cols;
        DoublePointer p = new DoublePointer(Math.max(n, 1));
        p.fill(0); // position 0 here, so JavaCPP's byte-wise fill covers exactly this buffer
        return new Matrix(rows, cols, p, true);
    }

    /**
     * A new matrix whose contents are unspecified, for outputs that are written in full before they are read
     * (a GEMM/SYRK target with beta = 0): skips the zero fill of {@link #zeros}.
     */
    public static Matrix uninitialized(int rows, int cols) {
        checkShape(rows, cols);
        return new Matrix(rows, cols, new DoublePointer(Math.max((long) rows * cols, 1)), true);
    }

    /** A matrix holding a copy of {@code values} (row-major, length rows·cols). */
    public static Matrix of(int rows, int cols, double... values) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("expected " + rows + "x" + cols + " values, got " + values.length);
        }
        return zeros(rows, cols).copyFrom(values);
    }

    /** A matrix from rows of equal length. */
    public static Matrix ofRows(double[][] rowsData) {
        int r = rowsData.length;
        int c = r == 0 ? 0 : rowsData[0].length;
        Matrix m = zeros(r, c);
        for (int i = 0; i < r; i++) {
            if (rowsData[i].length != c) {
                throw new IllegalArgumentException("ragged rows");
            }
            m.buf().put(i * c, rowsData[i], 0, c);
        }
        return m;
    }

    /** The n×n identity. */
    public static Matrix identity(int n) {
        Matrix m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m.set(i, i, 1.0);
        }
        return m;
    }

    /** A view of {@code rows·cols} doubles of {@code base} starting at element {@code offset}. */
    public static Matrix view(DoublePointer base, long offset, int rows, int cols) {
        checkShape(rows, cols);
        DoublePointer p = new DoublePointer(base).position(base.position() + offset);
        long end = p.position() + Math.max((long) rows * cols, 1);
        if (base.capacity() > 0 && end > base.capacity()) {
            throw new IndexOutOfBoundsException("view ends at " + end + " beyond capacity " + base.capacity());
        }
        p.capacity(end);
        return new Matrix(rows, cols, p, false);
    }

    /** A view of rows {@code [from, to)} of this matrix (contiguous in row-major order). */
    public Matrix rowBlock(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + rows);
        }
        return view(data, (long) from * cols, to - from, cols);
    }

    /** The same memory seen with another shape of equal size. */
    public Matrix reshape(int newRows, int newCols) {
        if ((long) newRows * newCols != size()) {
            throw new IllegalArgumentException("cannot reshape " + rows + "x" + cols + " to " + newRows + "x" + newCols);
        }
        return view(data, 0, newRows, newCols);
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public long size() {
        return (long) rows * cols;
    }

    /** The off-heap storage, positioned at element (0,0); for BLAS calls. */
    public DoublePointer pointer() {
        return data;
    }

    /** The memory as a direct buffer, index 0 = element (0,0), row-major; for fused elementwise loops. */
    public DoubleBuffer buffer() {
        return buf();
    }

    /** The buffer, or the error that this matrix is too large to be addressed element by element. */
    private DoubleBuffer buf() {
        if (buf == null) {
            throw new org.overparam.InputError(String.format(java.util.Locale.ROOT, "a %d x %d matrix (%.1f GB) is past "
                    + "the 2 GiB one buffer addresses, the largest overparam reads element by element (an n x n kernel: "
                    + "n <= 16383); use fewer points, or --centres M for kernel regression", rows, cols,
                    8.0 * rows * cols / 1e9));
        }
        return buf;
    }

    /** The memory as little-endian bytes (row-major doubles), e.g. to write a .npy without a heap copy. */
    public java.nio.ByteBuffer littleEndianBytes() {
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("big-endian platforms are not supported");
        }
        return data.asByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    public double get(int i, int j) {
        return buf().get(i * cols + j);
    }

    public void set(int i, int j, double v) {
        buf().put(i * cols + j, v);
    }

    /** Element {@code k} in row-major order. */
    public double at(long k) {
        return buf().get((int) k);
    }

    public void setAt(long k, double v) {
        buf().put((int) k, v);
    }

    /** A row-major heap copy. */
    public double[] toArray() {
        long n = size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("matrix of " + n + " elements does not fit a Java array");
        }
        double[] out = new double[(int) n];
        buf().get(0, out, 0, (int) n);
        return out;
    }

    /** Row {@code i} as a heap copy. */
    public double[] row(int i) {
        double[] out = new double[cols];
        buf().get(i * cols, out, 0, cols);
        return out;
    }

    public double[][] toRows() {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /** Copies {@code values} (row-major, full size) into this matrix. */
    public Matrix copyFrom(double[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " values, got " + values.length);
        }
        buf().put(0, values, 0, values.length);
        return this;
    }

    /** Copies another matrix of the same size into this one (shapes may differ, sizes may not). */
    public Matrix copyFrom(Matrix other) {
        if (other.size() != size()) {
            throw new IllegalArgumentException("size mismatch " + other.size() + " vs " + size());
        }
        if (size() > 0) {
            Blas.load();
            org.bytedeco.openblas.global.openblas.cblas_dcopy((int) size(), other.data, 1, data, 1);
        }
        return this;
    }

    /** A new owning copy. */
    public Matrix copy() {
        // not zeroed first: every element is written by the copy (at n = 16,000 a zero fill is 2 GB more to write)
        checkShape(rows, cols);
        Matrix m = new Matrix(rows, cols, new DoublePointer(Math.max(size(), 1)), true);
        m.copyFrom(this);
        return m;
    }

    /** The transpose as a new matrix. */
    public Matrix transpose() {
        Matrix t = zeros(cols, rows);
        // omatcopy would do; a blocked copy is small and clear and this is never on a hot path.
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.set(j, i, get(i, j));
            }
        }
        return t;
    }

    public Matrix fill(double v) {
        for (int k = 0, n = (int) size(); k < n; k++) {
            buf().put(k, v);
        }
        return this;
    }

    /** Frobenius norm. */
    public double frobenius() {
        return Vectors.norm2(this);
    }

    /** Largest |a_ij - b_ij|. */
    public double maxAbsDiff(Matrix other) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("shape mismatch " + shape() + " vs " + other.shape());
        }
        double m = 0;
        for (long k = 0, n = size(); k < n; k++) {
            m = Math.max(m, Math.abs(at(k) - other.at(k)));
        }
        return m;
    }

    public boolean isOwner() {
        return owner;
    }

    public String shape() {
        return rows + "x" + cols;
    }

    @Override
    public void close() {
        if (owner && !data.isNull()) {
            data.close();
        }
    }

    @Override
    public String toString() {
        if (size() > 64) {
            return "Matrix[" + shape() + "]";
        }
        StringBuilder sb = new StringBuilder("Matrix[" + shape() + "]\n");
        for (int i = 0; i < rows; i++) {
            sb.append(Arrays.toString(row(i))).append('\n');
        }
        return sb.toString();
    }
}
