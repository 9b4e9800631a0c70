package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.TrainRun;
import org.overparam.io.Json;

/** Training runs for the reproductions: ordinary {@code train} runs into folders, read back from metrics.jsonl. */
final class Runs {
    private Runs() {
    }

    /** A finished run: its per-step rows (metrics.jsonl) and its summary. */
    record Run(RunConfig config, Path folder, List<Map<String, Object>> rows, Map<String, Object> summary) {
        /** The values of {@code key} at the steps where it was measured, as {step[], value[]}. */
        double[][] series(String key) {
            List<double[]> pts = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                if (r.get(key) instanceof Number v) {
                    pts.add(new double[] {((Number) r.get("step")).doubleValue(), v.doubleValue()});
                }
            }
            double[][] out = new double[2][pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                out[0][i] = pts.get(i)[0];
                out[1][i] = pts.get(i)[1];
            }
            return out;
        }

        /** The last measured value of {@code key}. */
        double last(String key) {
            double[][] s = series(key);
            return s[1].length == 0 ? Double.NaN : s[1][s[1].length - 1];
        }
    }

    /** Trains {@code config} (config.json keys) into {@code folder} like {@code overparam train}, and reads it back. */
    @SuppressWarnings("unchecked")
    static Run train(Map<String, Object> config, Path folder, int threads) {
        RunConfig rc = config(config, folder, threads);
        TrainRun.Outcome o = TrainRun.execute(rc, List.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(o.folder().resolve("metrics.jsonl"))) {
                rows.add((Map<String, Object>) Json.parse(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Run(rc, o.folder(), rows, o.summary());
    }

    /** The run configuration {@link #train} trains (config.json keys, the folder and threads added). */
    static RunConfig config(Map<String, Object> config, Path folder, int threads) {
        Map<String, Object> m = new java.util.HashMap<>(config);
        m.put("out", folder.toString());
        m.put("threads", threads);
        return RunConfig.defaults().with(m, "reproduce");
    }

    /** A CSV file of named columns (equal lengths), written whole or not at all. */
    static void csv(Path file, List<String> header, List<double[]> columns) {
        StringBuilder b = new StringBuilder(String.join(",", header)).append('\n');
        int rows = columns.get(0).length;
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < columns.size(); c++) {
                double v = columns.get(c)[i];
                b.append(c == 0 ? "" : ",").append(Double.isNaN(v) ? "" : v == Math.rint(v) && Math.abs(v) < 1e15
                        ? Long.toString((long) v) : Double.toString(v));
            }
            b.append('\n');
        }
        org.overparam.io.AtomicFile.write(file, tmp -> Files.writeString(tmp, b.toString()));
    }
}
