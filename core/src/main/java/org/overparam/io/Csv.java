package org.overparam.io;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.overparam.InputError;

/**
 * Reads a numeric, comma-separated table (RFC 4180 without quoting of numbers): one row per line, the
 * same number of cells in every row. A first line that is not entirely numeric is taken as a header of
 * column names (surrounding double quotes are stripped from names). Blank lines are skipped. Cells are
 * trimmed and must be plain decimal numbers such as {@code -1}, {@code 0.5}, {@code 2e-3}; anything else
 * (including {@code NaN}, {@code inf}, hex) is an error naming the line and column — a table of data for
 * training should not contain them.
 *
 * <p>Optionally one column is split off as labels: {@code labelColumn} is a 0-based index, or -1 for
 * the last column; {@link #NO_LABELS} keeps every column as a feature.
 */
public final class Csv {

    /** Pass as {@code labelColumn} to keep all columns as features. */
    public static final int NO_LABELS = Integer.MIN_VALUE;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * A parsed table.
     *
     * @param x      the features, shape (rows, columns) (without the label column)
     * @param labels the label column, shape (rows,), or null when none was requested
     * @param header column names (all columns, including the label column), or null if there was none
     */
    public record Table(NdArray x, NdArray labels, List<String> header) {
    }

    private Csv() {
    }

    /** Reads a CSV file; {@code labelColumn} as described in the class comment. */
    public static Table read(Path file, int labelColumn) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString(), labelColumn);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + Json.oneLine(e) + "); check the path", e);
        }
    }

    /** Reads CSV bytes. */
    public static Table read(byte[] bytes, String name, int labelColumn) {
        return read(new ByteArrayInputStream(bytes), name, labelColumn);
    }

    /** Reads CSV text from a stream (UTF-8; undecodable bytes make the cell non-numeric). */
    public static Table read(InputStream in, String name, int labelColumn) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)));
        List<String> header = null;
        int cols = -1;
        int rows = 0;
        double[] values = new double[1024];
        int used = 0;
        int lineNo = 0;
        try {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // byte-order mark written by some spreadsheet programs
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cols < 0) {
                    cols = cells.length;
                    if (!allNumeric(cells)) {
                        header = new ArrayList<>();
                        for (String c : cells) {
                            String t = c.trim();
                            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                                t = t.substring(1, t.length() - 1);
                            }
                            header.add(t);
                        }
                        continue;
                    }
                }
                if (cells.length != cols) {
                    throw new InputError(name + ": line " + lineNo + " has " + cells.length + " cells but the first "
                            + (header != null ? "(header) " : "") + "line has " + cols
                            + "; make every row the same length");
                }
                if (used + cols > values.length) {
                    long grow = Math.max(2L * values.length, (long) used + cols);
                    if (grow > Bytes.MAX_ARRAY / 8) {
                        throw new InputError(name + ": too many values for one array; split the file");
                    }
                    values = Arrays.copyOf(values, (int) grow);
                }
                for (int c = 0; c < cols; c++) {
                    String t = cells[c].trim();
                    if (!NUMBER.matcher(t).matches()) {
                        throw new InputError(name + ": line " + lineNo + ", column " + (c + 1) + ": '"
                                + Npz.printable(t.length() > 30 ? t.substring(0, 30) + "..." : t)
                                + "' is not a number; the table must be numeric (one optional header line)");
                    }
                    values[used++] = Double.parseDouble(t);
                }
                rows++;
            }
        } catch (IOException e) {
            throw new InputError(name + ": cannot read (" + Json.oneLine(e) + "); check the file", e);
        }
        if (rows == 0) {
            throw new InputError(name + ": no numeric rows; the file is empty or holds only a header");
        }
        if (labelColumn == NO_LABELS) {
            return new Table(NdArray.of(Arrays.copyOf(values, used), rows, cols), null, header);
        }
        int lc = labelColumn == -1 ? cols - 1 : labelColumn;
        if (lc < 0 || lc >= cols) {
            throw new InputError(name + ": label column " + labelColumn + " does not exist (the table has " + cols
                    + " columns, 0.." + (cols - 1) + "; -1 means the last)");
        }
        if (cols == 1) {
            throw new InputError(name + ": the only column cannot be both features and labels; "
                    + "add feature columns or read it without a label column");
        }
        double[] x = new double[rows * (cols - 1)];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            int k = 0;
            for (int c = 0; c < cols; c++) {
                double v = values[i * cols + c];
                if (c == lc) {
                    y[i] = v;
                } else {
                    x[i * (cols - 1) + k++] = v;
                }
            }
        }
        return new Table(NdArray.of(x, rows, cols - 1), NdArray.of(y, rows), header);
    }

    private static boolean allNumeric(String[] cells) {
        for (String c : cells) {
            if (!NUMBER.matcher(c.trim()).matches()) {
                return false;
            }
        }
        return true;
    }
}
