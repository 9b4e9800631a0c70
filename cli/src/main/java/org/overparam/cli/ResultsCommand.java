package org.overparam.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.overparam.InputError;
import org.overparam.experiment.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code overparam results}: query a sweep's DuckDB store, print a table or export CSV. */
@Command(name = "results", header = "Query a sweep's results database (DuckDB SQL).", mixinStandardHelpOptions = true,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Query a sweep's results database (DuckDB SQL).", "",
                "Tables: runs(config_hash, config JSON, status, final_loss, initial_loss, steps,",
                "seconds, summary JSON, finished_at) and series(config_hash, step, loss,",
                "grad_norm_sq, distance). Config fields: config->>'hidden', config->>'lr', ...",
                "Export the result with --csv FILE or --parquet FILE.", ""})
public final class ResultsCommand implements Callable<Integer> {
    static final String DEFAULT_SQL = "SELECT substr(config_hash, 1, 12) AS run, config->>'dataset' AS dataset,"
            + " config->>'hidden' AS hidden, CAST(config->>'lr' AS DOUBLE) AS lr, CAST(config->>'seed' AS BIGINT) AS seed,"
            + " status, steps, initial_loss, final_loss, seconds FROM runs ORDER BY dataset, hidden, lr, seed";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DB", description = "The results database written by 'overparam sweep'.")
    Path db;

    @Option(names = "--sql", paramLabel = "QUERY", description = "The query (default: every run with its final loss).")
    String sql;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the result to FILE as CSV (with a header) instead of printing it.")
    Path csv;

    @Option(names = "--parquet", paramLabel = "FILE",
            description = "Write the result to FILE as Apache Parquet (readable by pandas, pyarrow, polars, Spark).")
    Path parquet;

    @Override
    public Integer call() {
        if (csv != null && parquet != null) {
            throw new InputError("give either --csv or --parquet, not both");
        }
        ResultsStore.Table t;
        var o = spec.commandLine().getOut();
        try (ResultsStore store = ResultsStore.openReadOnly(db)) {
            if (parquet != null) {
                long rows = store.exportParquet(store.singleQuery(sql == null ? DEFAULT_SQL : sql), parquet);
                o.println("wrote " + rows + " rows to " + parquet);
                o.flush();
                return 0;
            }
            t = store.userQuery(sql == null ? DEFAULT_SQL : sql);
        }
        if (csv != null) {
            writeCsv(t, csv);
            o.println("wrote " + t.rows().size() + " rows to " + csv);
        } else {
            printTable(t, o);
        }
        o.flush();
        return 0;
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.6g", d);
        }
        return v.toString();
    }

    static void printTable(ResultsStore.Table t, java.io.PrintWriter o) {
        int n = t.columns().size();
        int[] w = new int[n];
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w[i] = t.columns().get(i).length();
        }
        for (List<Object> r : t.rows()) {
            List<String> c = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String s = cell(r.get(i));
                w[i] = Math.max(w[i], Math.min(s.length(), 60));
                c.add(s.length() > 60 ? s.substring(0, 57) + "..." : s);
            }
            cells.add(c);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "  ").append(pad(t.columns().get(i), w[i]));
        }
        o.println(sb.toString().stripTrailing());
        for (List<String> c : cells) {
            sb.setLength(0);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : "  ").append(pad(c.get(i), w[i]));
            }
            o.println(sb.toString().stripTrailing());
        }
        o.println("(" + t.rows().size() + " row" + (t.rows().size() == 1 ? "" : "s") + ")");
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    static void writeCsv(ResultsStore.Table t, Path file) {
        try {
            Path abs = file.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try (Writer w = Files.newBufferedWriter(abs, StandardCharsets.UTF_8)) {
                w.write(String.join(",", t.columns().stream().map(ResultsCommand::csvQuote).toList()));
                w.write("\n");
                for (List<Object> r : t.rows()) {
                    List<String> c = new ArrayList<>();
                    for (Object v : r) {
                        c.add(v == null ? "" : csvQuote(v instanceof Double d ? Double.toString(d) : v.toString()));
                    }
                    w.write(String.join(",", c));
                    w.write("\n");
                }
            }
        } catch (IOException e) {
            throw new InputError("cannot write --csv " + file + " (" + e.getMessage() + ")");
        }
    }

    static String csvQuote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
