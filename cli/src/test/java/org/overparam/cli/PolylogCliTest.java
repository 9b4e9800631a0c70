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

/** {@code overparam polylog} end to end on a tiny sweep (n = 20, 40; widths ≤ 16; 100 steps), and its input errors. */
class PolylogCliTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void tinySweepWritesJsonAndBothPlots() throws Exception {
        Path out = tmp.resolve("p");
        Map<String, Object> m = CliRuns.json(run("polylog", "--n", "20,40", "--d", "4", "--gamma", "0.3", "--seeds", "1",
                "--steps", "100", "--target", "0.2", "--max-width", "16", "--test", "50", "--out", out.toString(), "--json"));
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
        assertTrue(((Map<String, Object>) m.get("fit_power")).containsKey("r2"));
        assertEquals(Json.writeCompact(m), Json.writeCompact(Json.read(out.resolve("polylog.json"))));
        assertTrue(Files.readString(out.resolve("polylog-width.svg")).startsWith("<svg")
                || Files.readString(out.resolve("polylog-width.svg")).contains("<svg"));
        assertTrue(Files.readString(out.resolve("polylog-error.svg")).contains("<svg"));
    }

    @Test
    void userMistakesAreOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"polylog", "--n", "20,x"}, new String[] {"polylog", "--depth", "1"},
                new String[] {"polylog", "--gamma", "0"}, new String[] {"polylog", "--max-width", "2"})) {
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
