package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.cli.CliRuns.Run;
import org.overparam.io.Json;

/**
 * {@code overparam polylog} end to end on a tiny sweep (n = 20, 40; widths ≤ 16; 100 steps), its probes in the
 * store (a rerun trains nothing; two workers find what one does), and its input errors.
 */
class PolylogCliTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void tinySweepWritesJsonAndBothPlots() throws Exception {
        Path out = tmp.resolve("p");
        Map<String, Object> m = CliRuns.json(run("polylog", "--n", "20,40", "--d", "4", "--gamma", "0.3", "--seeds", "1",
                "--steps", "100", "--target", "0.2", "--max-width", "16", "--test", "50", "--out", out.toString(), "--db",
                tmp.resolve("r.duckdb").toString(), "--runs", tmp.resolve("runs").toString(), "--json"));
        List<Object> points = (List<Object>) m.get("points");
        assertEquals(2, points.size());
        for (Object o : points) {
            Map<String, Object> p = (Map<String, Object>) o;
            double eps = ((Number) p.get("eps_ntrf")).doubleValue();
            int n = ((Number) p.get("n")).intValue();
            // the bound column is Theorem 3.5's formula with constants 1 at L = 2, R = 8, delta = 0.1
            double bound = 2 * eps + 16 * 4 * 8 / Math.sqrt(n) + Math.sqrt(Math.log(10) / n);
            assertEquals(bound, ((Number) p.get("bound")).doubleValue(), 1e-9);
        }
        long measured = points.stream().map(o -> (Map<String, Object>) o)
                .filter(p -> ((Number) p.get("width")).intValue() > 0 && !(Boolean) p.get("censored")).count();
        // upper bounds (the first width tried succeeded) are not fitted: a fit needs two measured widths
        assertEquals(measured >= 2, ((Map<String, Object>) m.get("fit_power")).containsKey("r2"), m.toString());
        assertEquals(Json.writeCompact(m), Json.writeCompact(Json.read(out.resolve("polylog.json"))));
        assertTrue(Files.readString(out.resolve("polylog-width.svg")).startsWith("<svg")
                || Files.readString(out.resolve("polylog-width.svg")).contains("<svg"));
        assertTrue(Files.readString(out.resolve("polylog-error.svg")).contains("<svg"));
    }

    /** Three n, two seeds, a bisection at n = 40: 5 probes, 10 runs (a few seconds). */
    String[] search(String store, String outDir, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("polylog", "--n", "20,40,80", "--d", "4", "--gamma", "0.1",
                "--seeds", "2", "--steps", "100", "--target", "0.1", "--max-width", "32", "--test", "50", "--db",
                tmp.resolve(store).toString(), "--runs", tmp.resolve(store + "-runs").toString(), "--out",
                tmp.resolve(outDir).toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void aRerunWithTheSameStoreTrainsNothingAndWritesTheSameResult() throws Exception {
        Run first = run(search("r.duckdb", "first", "--workers", "2"));
        assertEquals(0, first.code(), first.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) runs trained, 0 read from").matcher(first.out());
        assertTrue(m.find(), first.out());
        int trained = Integer.parseInt(m.group(1));
        assertTrue(trained >= 8, "at least four probes of two seeds: " + first.out());
        Run again = run(search("r.duckdb", "again", "--workers", "2"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("0 runs trained, " + trained + " read from"), again.out());
        assertEquals(Files.readString(tmp.resolve("first/polylog.json")), Files.readString(tmp.resolve("again/polylog.json")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoWorkersFindTheWidthsOneDoes() throws Exception {
        Map<String, Object> one = CliRuns.json(run(search("one.duckdb", "one", "--workers", "1", "--json")));
        Map<String, Object> two = CliRuns.json(run(search("two.duckdb", "two", "--workers", "2", "--json")));
        List<Object> widths = ((List<Object>) one.get("points")).stream().map(p -> ((Map<String, Object>) p).get("width"))
                .toList();
        assertEquals(widths, ((List<Object>) two.get("points")).stream().map(p -> ((Map<String, Object>) p).get("width"))
                .toList());
        assertTrue(widths.stream().anyMatch(w -> ((Number) w).intValue() > 4), "a bisection happened: " + widths);
        // every run is on one BLAS thread either way, so not just the widths: every number agrees
        assertEquals(Json.writeCompact(one), Json.writeCompact(two));
    }

    @Test
    void userMistakesAreOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"polylog", "--n", "20,x"}, new String[] {"polylog", "--depth", "0"},
                new String[] {"polylog", "--gamma", "0"}, new String[] {"polylog", "--max-width", "2"},
                new String[] {"polylog", "--workers", "0"})) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("overparam: error: "), r.err());
        }
    }

    @Test
    void trainAcceptsTheChen2021Preset() {
        Run r = run("train", "--dataset", "margin:n=20,d=4,gamma=0.3", "--loss", "logistic", "--parameterization",
                "chen2021", "--hidden", "16,16", "--no-bias", "--lr", "0.02", "--steps", "5", "--out",
                tmp.resolve("t").toString());
        assertEquals(0, r.code(), r.err());
        Run bad = run("train", "--dataset", "margin:n=20,d=4,gamma=0.3", "--loss", "logistic", "--parameterization",
                "chen2021", "--hidden", "16,8", "--no-bias", "--steps", "5", "--out", tmp.resolve("u").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("chen2021"), bad.err());
    }
}
