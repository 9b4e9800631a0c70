package org.overparam.experiment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.overparam.InputError;
import org.overparam.io.Json;

/**
 * The results of sweeps: an embedded DuckDB database file with one row per finished run ({@code runs}) and
 * its per-step measurements ({@code series}), keyed by {@link #configHash}. A run and its series are
 * inserted in one transaction, so a killed sweep loses no finished run and leaves no half run. One
 * connection, used under this object's lock (workers insert one at a time).
 */
public final class ResultsStore implements AutoCloseable {
    /** Config fields that do not change a run's results, left out of the hash. */
    public static final Set<String> NOT_HASHED = Set.of("out", "threads", "save_model", "checkpoint_every", "track",
            "kernel_every");
    /**
     * Config fields added after the first stores were written: hashed only when set to something other than
     * their default, so every run stored before they existed keeps its hash (and is still skipped).
     */
    static final Map<String, Object> HASHED_WHEN_SET = hashedWhenSet();

    private static Map<String, Object> hashedWhenSet() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("target_loss", 0.0);
        m.put("stop_at_fit", false);
        m.put("arch", null); // --arch (issue 15): a fully connected run has none
        return java.util.Collections.unmodifiableMap(m);
    }

    static final String RUNS_DDL = "CREATE TABLE IF NOT EXISTS runs (config_hash VARCHAR PRIMARY KEY, config JSON,"
            + " status VARCHAR, final_loss DOUBLE, initial_loss DOUBLE, steps BIGINT, seconds DOUBLE,"
            + " summary JSON, finished_at TIMESTAMP)";
    static final String SERIES_DDL = "CREATE TABLE IF NOT EXISTS series (config_hash VARCHAR, step BIGINT, loss DOUBLE,"
            + " grad_norm_sq DOUBLE, distance DOUBLE)";

    /** The per-connection temporary table a run's series is appended to before its transaction. */
    private static final String STAGING = "temp.main.series_staging";

    /** One recorded step; NaN measurements are stored as NULL. */
    public record Point(long step, double loss, double gradNormSq, double distance) {
    }

    /** A query's result: column names and rows of JDBC values. */
    public record Table(List<String> columns, List<List<Object>> rows) {
    }

    private final Connection conn;
    private final Path file;
    /** True when {@link #open} created the file: closed without a run stored, it is removed again. */
    private boolean created;

    private ResultsStore(Connection conn, Path file) {
        this.conn = conn;
        this.file = file;
    }

    /** Opens (creating if needed) a store for writing. */
    public static ResultsStore open(Path db) {
        Path abs = db.toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            boolean existed = Files.exists(abs);
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + abs);
            try (Statement s = c.createStatement()) {
                s.execute(RUNS_DDL);
                s.execute(SERIES_DDL);
                s.execute("CREATE TEMP TABLE " + STAGING + " AS SELECT * FROM series LIMIT 0");
            }
            ResultsStore st = new ResultsStore(c, abs);
            st.created = !existed;
            return st;
        } catch (SQLException | java.io.IOException e) {
            throw new InputError(db + ": cannot open the results database (" + oneLine(e.getMessage()) + ")");
        }
    }

    /**
     * A database error as the user's problem when it is one: DuckDB reports a truncated or damaged file ("IO Error",
     * "Corrupt", "Could not read enough bytes") only when the damaged block is read, which can be after open (a sweep
     * on a truncated store ended in a stack trace, issue 11). Anything else is our bug.
     */
    private RuntimeException failure(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("IO Error") || m.contains("Corrupt") || m.contains("corrupt") || m.contains("Could not read")
                || m.contains("checksum")) {
            return new InputError(file + ": the results database is damaged or truncated (" + oneLine(m)
                    + "); restore it from a copy or give another --db");
        }
        return new IllegalStateException(e);
    }

    /** Opens an existing store read-only (for queries; never creates a file). */
    public static ResultsStore openReadOnly(Path db) {
        if (!Files.isRegularFile(db)) {
            throw new InputError(db + ": no such results database; run 'overparam sweep' first or check the path");
        }
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        try {
            return new ResultsStore(DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath(), p), db);
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("Could not set lock")) {
                // DuckDB lets one process write a file and nobody else open it meanwhile
                throw new InputError(db + " is being written by another process (a running sweep holds its lock); "
                        + "query it when that ends, or query a snapshot: cp " + db + " snapshot.duckdb (the copy holds "
                        + "the runs stored up to the last checkpoint)");
            }
            throw new InputError(db + ": cannot open the results database (" + oneLine(e.getMessage()) + ")");
        }
    }

    /**
     * SHA-256 (hex) of the canonical JSON of the fully resolved config: keys sorted, compact, without the
     * fields in {@link #NOT_HASHED}.
     */
    public static String configHash(RunConfig c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonicalJson(c).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON that {@link #configHash} hashes (and the {@code runs.config} column holds). */
    public static String canonicalJson(RunConfig c) {
        Map<String, Object> m = new TreeMap<>(c.toMap());
        m.keySet().removeAll(NOT_HASHED);
        HASHED_WHEN_SET.forEach((k, dflt) -> m.remove(k, dflt));
        return Json.writeCompact(m);
    }

    public synchronized boolean isDone(String hash) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM runs WHERE config_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Every hash in {@code runs}. */
    public synchronized Set<String> doneHashes() {
        Set<String> s = new HashSet<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT config_hash FROM runs")) {
            while (rs.next()) {
                s.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return s;
    }

    /** The stored {@code summary} of each of {@code hashes} that is in {@code runs} (absent ones are left out). */
    public synchronized Map<String, Map<String, Object>> summaries(java.util.Collection<String> hashes) {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT summary FROM runs WHERE config_hash = ?")) {
            for (String h : hashes) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(h, Json.parseObject(rs.getString(1), "the summary of run " + h));
                    }
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    /** Inserts a finished run and its series in one transaction (all or nothing). */
    public synchronized void insert(RunConfig c, Map<String, Object> summary, List<Point> series) {
        String hash = configHash(c);
        try {
            stage(hash, series);
            conn.setAutoCommit(false);
            try {
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                        + " CAST(? AS TIMESTAMP))")) {
                    ps.setString(1, hash);
                    ps.setString(2, canonicalJson(c));
                    ps.setString(3, String.valueOf(summary.get("status")));
                    setDouble(ps, 4, summary.get("final_loss"));
                    setDouble(ps, 5, summary.get("initial_loss"));
                    Object steps = summary.getOrDefault("steps_run", summary.get("steps"));
                    if (steps instanceof Number n) {
                        ps.setLong(6, n.longValue());
                    } else {
                        ps.setNull(6, Types.BIGINT);
                    }
                    setDouble(ps, 7, summary.get("seconds"));
                    ps.setString(8, Json.writeCompact(summary));
                    ps.setString(9, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).toString().replace('T', ' '));
                    ps.executeUpdate();
                }
                try (Statement st = conn.createStatement()) {
                    st.execute("INSERT INTO series SELECT * FROM " + STAGING);
                }
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
                try (Statement st = conn.createStatement()) {
                    st.execute("DELETE FROM " + STAGING);
                }
            }
        } catch (SQLException e) {
            RuntimeException f = failure(e);
            throw f instanceof InputError ? f
                    : new IllegalStateException("cannot store run " + hash + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * Writes the series into the connection's temporary staging table with DuckDB's appender (a JDBC batch
     * of single-row INSERTs took ~0.3 s per 1000 rows and serialized the sweep's workers). The appender
     * commits on its own, outside any transaction, so it writes only to the staging table, which
     * {@link #insert} then copies into {@code series} inside the run's transaction.
     */
    private void stage(String hash, List<Point> series) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("DELETE FROM " + STAGING);
        }
        try (DuckDBAppender ap = conn.unwrap(DuckDBConnection.class).createAppender("temp", "main", "series_staging")) {
            for (Point p : series) {
                ap.beginRow().append(hash).append(p.step());
                appendDouble(ap, p.loss());
                appendDouble(ap, p.gradNormSq());
                appendDouble(ap, p.distance());
                ap.endRow();
            }
        }
    }

    private static void appendDouble(DuckDBAppender ap, double v) throws SQLException {
        if (Double.isFinite(v)) {
            ap.append(v);
        } else {
            ap.appendNull();
        }
    }

    /** Runs one SQL statement and returns its rows; a bad statement is the user's mistake. */
    /**
     * A user's query (results --sql): one statement that reads. It is run as a subquery, so COPY … TO, ATTACH, SET,
     * INSERT and the like are syntax errors instead of writing files next to a store opened read-only (issue 11);
     * a ';' inside would start a second statement and is refused.
     */
    public Table userQuery(String sql) {
        return query("SELECT * FROM (" + singleQuery(sql) + ") AS query");
    }

    /** The text of one query: trailing semicolons dropped, any other ';' refused. */
    public String singleQuery(String sql) {
        String q = sql.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).strip();
        }
        if (q.contains(";")) {
            throw new InputError(file + ": --sql takes one query; remove the ';' (statements that write, such as COPY, "
                    + "are not run on a results store)");
        }
        return q;
    }

    public synchronized Table query(String sql) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> r = new ArrayList<>(cols.size());
                for (int i = 1; i <= cols.size(); i++) {
                    r.add(rs.getObject(i));
                }
                rows.add(r);
            }
            return new Table(cols, rows);
        } catch (SQLException e) {
            throw new InputError(file + ": query failed (" + oneLine(e.getMessage()) + ")");
        }
    }

    /**
     * Writes a query's result to an Apache Parquet file (DuckDB's {@code COPY … TO … (FORMAT PARQUET)}; column
     * types as DuckDB reports them, JSON columns as strings). Written to a hidden sibling first and moved into
     * place, so a failed export leaves no file. Returns the number of rows written.
     */
    public synchronized long exportParquet(String sql, Path target) {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".partial");
        String query = sql.strip();
        while (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            long rows;
            try (Statement st = conn.createStatement()) {
                // a path is a string literal in COPY: double any single quote
                rows = st.executeUpdate("COPY (" + query + ") TO '" + tmp.toString().replace("'", "''")
                        + "' (FORMAT PARQUET)");
            }
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return rows;
        } catch (SQLException e) {
            deleteQuietly(tmp);
            throw new InputError(file + ": export to " + target + " failed (" + oneLine(e.getMessage()) + ")");
        } catch (java.io.IOException e) {
            deleteQuietly(tmp);
            throw new InputError("cannot write " + target + " (" + oneLine(e.getMessage()) + "); check the folder");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
            // nothing more to do: the export already failed and says so
        }
    }

    /** Runs a statement that returns no rows (tests, maintenance: DELETE …). */
    public synchronized int update(String sql) {
        try (Statement st = conn.createStatement()) {
            return st.executeUpdate(sql);
        } catch (SQLException e) {
            throw new InputError(file + ": statement failed (" + oneLine(e.getMessage()) + ")");
        }
    }

    @Override
    public synchronized void close() {
        boolean empty = false;
        if (created) {
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM runs")) {
                empty = rs.next() && rs.getLong(1) == 0;
            } catch (SQLException e) {
                empty = false;
            }
        }
        try {
            conn.close();
        } catch (SQLException e) {
            // closing a read-only or already-broken connection: nothing to keep
        }
        if (empty) {
            // a store this command created and that holds no run (the command failed first) is not left behind
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
            } catch (java.io.IOException e) {
                // best effort
            }
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Object v) throws SQLException {
        if (v instanceof Number n && !Double.isNaN(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
            ps.setDouble(i, n.doubleValue());
        } else {
            ps.setNull(i, Types.DOUBLE);
        }
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
