package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.json;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.cli.CliRuns.Run;
import org.overparam.io.Json;

/**
 * overparam min-width end to end on a tiny problem (n = 4, 8, 16 on the sphere in d = 8, widths ≤ 64, 200 GD
 * steps, 2 seeds, eps 1e-2): m* at every n, a fit over three points, the theory table, the memorizers, the
 * report; a rerun reads every probe back from the store; bad input is exit 2 with one line.
 */
class MinWidthCliTest {
    @TempDir
    Path tmp;

    String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("min-width", "--dataset", "sphere:d=8", "--n", "4,8,16", "--steps", "200",
                "--eps", "1e-2", "--seeds", "2", "--delta", "0.5", "--max-width", "64", "--workers", "2",
                "--db", tmp.resolve("r.duckdb").toString(), "--runs", tmp.resolve("runs").toString(),
                "--out", tmp.resolve("out").toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    @SuppressWarnings("unchecked")
    void smallFitEndToEndAndResume() throws Exception {
        Map<String, Object> m = json(run(args("--json")));
        List<Map<String, Object>> perN = (List<Map<String, Object>>) m.get("per_n");
        assertEquals(3, perN.size());
        int trained = ((Number) m.get("runs_trained")).intValue();
        int probes = 0;
        for (Map<String, Object> a : perN) {
            assertEquals("found", a.get("status"), a.toString());
            int mStar = ((Number) a.get("m_star")).intValue();
            int lastFailure = ((Number) a.get("last_failure")).intValue();
            assertEquals(mStar - 1, lastFailure, "resolution 5 % of m* <= 64 is one unit: " + a);
            List<Map<String, Object>> ps = (List<Map<String, Object>>) a.get("probes");
            probes += ps.size();
            for (Map<String, Object> p : ps) { // the bracket's ends are a success and a failure with >= 1 of 2 needed
                int w = ((Number) p.get("m")).intValue();
                int ok = ((Number) p.get("successes")).intValue();
                assertEquals(2L, ((Number) p.get("seeds")).longValue());
                assertEquals(ok >= 1, p.get("success"), p.toString());
                if (w == mStar) {
                    assertTrue(ok >= 1, a.toString());
                }
                if (w == lastFailure) {
                    assertEquals(0, ok, a.toString());
                }
            }
            assertEquals(9L * mStar, ((Number) a.get("gd_parameters_at_m_star")).longValue(), "8m + m, no biases");
            List<Map<String, Object>> mem = (List<Map<String, Object>>) a.get("memorizers");
            assertEquals(List.of("yun", "zhang"), mem.stream().map(z -> z.get("construction")).toList());
            for (Map<String, Object> z : mem) {
                assertEquals(true, z.get("fits"), z.toString());
            }
            int n = ((Number) a.get("n")).intValue();
            assertEquals(n * 8L + 2L * n + 1, ((Number) mem.get(1).get("stored_numbers")).longValue(), "zhang: nd + 2n + 1");
        }
        assertEquals(2 * probes, trained, "every probe is 2 runs, all trained now");
        Map<String, Object> fit = (Map<String, Object>) m.get("fit");
        assertEquals(3L, ((Number) fit.get("points")).longValue(), fit.toString());
        double b = ((Number) fit.get("exponent")).doubleValue();
        assertTrue(((Number) fit.get("ci_low")).doubleValue() < b && b < ((Number) fit.get("ci_high")).doubleValue());
        List<Map<String, Object>> theory = (List<Map<String, Object>>) m.get("theory");
        assertEquals(7, theory.size());
        assertEquals(6.0, ((Number) theory.get(0).get("exponent_of_n")).doubleValue());
        assertTrue(theory.get(3).get("width").toString().contains("L = 1"), theory.get(3).toString());
        assertEquals(null, theory.get(6).get("exponent_of_n"));

        Path out = tmp.resolve("out");
        String html = Files.readString(out.resolve("report.html"));
        for (String part : List.of("<svg", "id=\"m-star-table\"", "id=\"theory-table\"", "id=\"memorizer-table\"",
                "n^6 (theory, order only): du2019", "n^2 (theory, order only): oymak_soltanolkotabi2020, song_yang2019",
                "fit ∝ n^", "not monotone",
                "polylog", "2 seeds")) {
            assertTrue(html.contains(part), part);
        }
        String withoutNamespaces = html.replace("http://www.w3.org/", "");
        assertFalse(withoutNamespaces.contains("http") || html.contains("<script") || html.contains("<link"),
                "self-contained: nothing loaded from the network");
        assertEquals(1e-8, ((Number) m.get("memorizer_fits_when_relative_error_at_most")).doubleValue());
        assertTrue(Files.readString(out.resolve("m-star.svg")).startsWith("<?xml"));
        assertEquals(m.get("per_n"), Json.parseObject(Files.readString(out.resolve("min-width.json")), "t").get("per_n"));

        Run again = run(args());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("0 runs trained, " + trained + " read from"), again.out());
        assertTrue(again.out().contains("n = 16: m* = " + perN.get(2).get("m_star")), again.out());
    }

    /** The same search over a residual CNN template: m fills the channels, --depth the *L, on 1x4x4 images. */
    String[] archArgs(String arch, String... extra) {
        List<String> a = new ArrayList<>(List.of("min-width", "--arch", arch, "--dataset", "sphere:d=16,image=1x4x4",
                "--n", "16,32", "--steps", "200", "--eps", "1e-2", "--seeds", "2", "--delta", "0.5", "--max-width", "16",
                "--workers", "2", "--db", tmp.resolve("a.duckdb").toString(), "--runs", tmp.resolve("runs").toString(),
                "--out", tmp.resolve("out").toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static final String RES_CNN = "conv:m:3,relu,res:0.5[conv:m:3,relu]*L,flatten,dense:1";

    @Test
    @SuppressWarnings("unchecked")
    void aResidualCnnTemplateIsSearchedLikeAFullyConnectedNet() throws Exception {
        Map<String, Object> m = json(run(archArgs(RES_CNN, "--depth", "2", "--json")));
        assertEquals(RES_CNN, ((Map<String, Object>) m.get("settings")).get("arch"));
        List<Map<String, Object>> perN = (List<Map<String, Object>>) m.get("per_n");
        assertEquals(2, perN.size());
        int withMStar = 0;
        for (Map<String, Object> a : perN) {
            if (a.get("m_star") == null) {
                continue;
            }
            withMStar++;
            long w = ((Number) a.get("m_star")).longValue();
            // no biases: conv 1 -> m (9m), two residual convs m -> m (2 * 9m^2), dense over 16 pixels x m channels (16m)
            assertEquals(9 * w + 18 * w * w + 16 * w, ((Number) a.get("gd_parameters_at_m_star")).longValue(), a.toString());
            assertEquals(2, ((List<?>) a.get("memorizers")).size());
        }
        assertTrue(withMStar > 0, "a width up to 16 fits 16 or 32 points: " + perN);
        String probe = Files.readString(Files.list(tmp.resolve("runs")).findFirst().orElseThrow().resolve("config.json"));
        assertTrue(probe.contains("res:0.5[conv:") && probe.contains("\"hidden\": null"), probe);
        assertTrue(Files.readString(tmp.resolve("out/report.html")).contains("--arch " + RES_CNN + " with L = 2"));
    }

    @Test
    void anArchWithoutItsPlaceholderOrWithOneInABadSpotIsExitTwoWithWhatToWrite() {
        Map<List<String>, String> bad = Map.of(
                List.of("--arch", "conv:4:3,relu,flatten,dense:1"), "write m",
                List.of("--arch", "conv:4:m,relu,flatten,dense:1"), "output channels or units",
                List.of("--arch", "conv:m:3,relu,flatten,dense:m"), "last layer",
                List.of("--arch", "conv:m:3,relu,flatten,dense:1", "--depth", "2"), "*L",
                List.of("--arch", "conv:m:3,relu,[conv:m:3]*3,flatten,dense:1"), "*L",
                List.of("--arch", "conv:4:3,relu,res[conv:m:3],flatten,dense:1"), "same shape",
                List.of("--arch", "conv:m:3,relu,flatten,dense:1", "--dataset", "sphere:d=4"), "needs an image");
        bad.forEach((extra, says) -> {
            List<String> a = new ArrayList<>(List.of(archArgs(extra.get(1))));
            a.subList(1, 3).clear(); // archArgs' own --arch, replaced by extra's
            int at = a.indexOf("--dataset");
            if (extra.contains("--dataset")) {
                a.subList(at, at + 2).clear();
            }
            a.addAll(extra);
            Run r = run(a.toArray(String[]::new));
            assertEquals(2, r.code(), extra + ": " + r.err());
            List<String> errors = r.errLines().stream().filter(l -> l.startsWith("overparam: error:")).toList();
            assertEquals(1, errors.size(), extra + ": " + r.err());
            assertTrue(errors.get(0).contains(says), extra + ": " + errors.get(0));
            assertFalse(Files.exists(tmp.resolve("out")), extra.toString());
            assertFalse(Files.exists(tmp.resolve("runs")), extra + ": no run trained");
        });
    }

    @Test
    void badInputIsExitTwoWithOneLineAndNoOutput() {
        List<List<String>> bad = List.of(List.of("--n", ""), List.of("--n", "4,x"), List.of("--delta", "1"),
                List.of("--delta", "-0.5"), List.of("--eps", "0"), List.of("--eps", "-1"), List.of("--max-width", "0"),
                List.of("--m0", "0"), List.of("--m0", "100"), List.of("--growth", "1"), List.of("--seeds", "0"),
                List.of("--depth", "0"), List.of("--dataset", "sphere:n=5,d=3"), List.of("--dataset", "nosuch:d=3"),
                List.of("--activation", "nosuch"), List.of("--loss", "nosuch"), List.of("--workers", "0"),
                List.of("--parameterization", "du2019", "--depth", "2"));
        for (List<String> b : bad) {
            Run r = run(args(b.toArray(String[]::new)));
            assertEquals(2, r.code(), b + ": " + r.err());
            assertEquals(1, r.errLines().stream().filter(l -> l.startsWith("overparam: error:")).count(), b + ": " + r.err());
            assertFalse(Files.exists(tmp.resolve("out")), b.toString());
            assertFalse(Files.exists(tmp.resolve("runs")), b + ": no run trained");
        }
        assertTrue(run("min-width", "--help").out().contains("not monotone"));
    }
}
