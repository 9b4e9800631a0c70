package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.Json;

/**
 * The certificate's report opens in a real browser (Debian's headless Chromium, installed by .ci/run):
 * the page loads, every plot is in the rendered DOM, and the browser logs no error. Fails — never skips —
 * when Chromium is missing.
 */
class ReportBrowserTest {
    @TempDir
    Path dir;

    static Path chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        throw new AssertionError("Chromium is missing: install Debian's chromium package (apt-get install chromium); "
                + ".ci/run does");
    }

    @Test
    void certifyAllWritesAReportThatRendersInChromiumWithoutErrors() throws Exception {
        Path out = dir.resolve("cert");
        StringWriter so = new StringWriter();
        StringWriter se = new StringWriter();
        int code = Main.execute(new String[] {"certify", "--all", "--out", out.toString(), "--json", "--threads", "1"},
                new PrintWriter(so, true), new PrintWriter(se, true));
        assertEquals(0, code, se.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> cert = (Map<String, Object>) Json.parse(so.toString().strip());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> checks = (List<Map<String, Object>>) cert.get("checks");
        assertFalse(checks.isEmpty());
        for (Map<String, Object> c : checks) {
            for (String key : List.of("id", "claim", "paper", "hypothesis", "hypothesis_met", "measured", "bound",
                    "conclusion", "verdict", "why")) {
                assertTrue(c.containsKey(key), key + " missing");
            }
            assertTrue(List.of("holds", "hypothesis not met", "inconclusive").contains(c.get("verdict")),
                    "no preset may be violated: " + c);
        }
        assertTrue(checks.stream().anyMatch(c -> c.get("verdict").equals("hypothesis not met")));
        // every registered check runs on its presets under --all, Chen et al.'s with a holding and a failing one
        assertEquals(new java.util.TreeSet<>(org.overparam.experiment.CertifyRun.checkIds()),
                new java.util.TreeSet<>(checks.stream().map(c -> (String) c.get("id")).toList()));
        // Chen et al.'s width has an unspecified polynomial: never a met hypothesis; the conclusion is seen with
        // an NTRF margin and not measured without one
        assertEquals(List.of("observed", "undecided"), checks.stream()
                .filter(c -> c.get("id").equals("ntrf-generalization")).map(c -> (String) c.get("conclusion")).toList());
        Path html = out.resolve("report.html");
        String page = Files.readString(html);
        long plots = page.split("<svg", -1).length - 1;
        assertTrue(plots >= 2, "plots in the page: " + plots);
        String withoutNamespaces = page.replace("http://www.w3.org/", "");
        assertFalse(withoutNamespaces.contains("http://") || withoutNamespaces.contains("https://")
                || page.contains("<script") || page.contains("<link"), "the report must not load anything from the network");

        assertRendersInChromium(html, plots);
        assertTrue(Files.readString(dir.resolve("dom.html")).contains("id=\"verdicts\""));
    }

    /**
     * The experiment reports (min-width: m*(n) with the theory lines and the memorizer table; deep-vs-wide: the
     * panels side by side) open in the browser as the certificate does.
     */
    @Test
    void experimentReportsRenderInChromiumWithoutErrors() throws Exception {
        Path mw = dir.resolve("mw");
        CliRuns.Run r = CliRuns.run("min-width", "--dataset", "sphere:d=8", "--n", "4,8,16", "--steps", "200", "--eps",
                "1e-2", "--seeds", "2", "--delta", "0.5", "--max-width", "64", "--workers", "2", "--db",
                dir.resolve("mw.duckdb").toString(), "--runs", dir.resolve("mw-runs").toString(), "--out", mw.toString());
        assertEquals(0, r.code(), r.err());
        Path dw = dir.resolve("dw");
        r = CliRuns.run("deep-vs-wide", "--dataset", "margin:n=30,d=5,gamma=0.2", "--test-split", "0.33", "--params",
                "40,200", "--depths", "1,2", "--seeds", "1", "--max-steps", "300", "--workers", "2", "--out", dw.toString());
        assertEquals(0, r.code(), r.err());
        for (Path html : List.of(mw.resolve("report.html"), dw.resolve("report.html"))) {
            String page = Files.readString(html);
            long plots = page.split("<svg", -1).length - 1;
            assertTrue(plots >= 1, html + ": plots in the page: " + plots);
            assertFalse(page.contains("<script") || page.contains("<link"), html + " must be self-contained");
            assertRendersInChromium(html, plots);
        }
    }

    /** Headless Chromium loads the page: exit 0, every SVG in the rendered DOM, no console error. */
    private void assertRendersInChromium(Path html, long plots) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium");
        ProcessBuilder pb = new ProcessBuilder(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--dump-dom",
                html.toUri().toString());
        Path stdout = dir.resolve("dom.html");
        Path stderr = dir.resolve("chromium.log");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), Files.readString(stderr));
        String dom = Files.readString(stdout);
        assertEquals(plots, dom.split("<svg", -1).length - 1, "every plot is in the rendered DOM");
        for (String line : Files.readAllLines(stderr)) {
            // page errors surface as console messages or uncaught exceptions; chromium's own dbus/gpu noise does not count
            assertFalse(line.contains("CONSOLE") || line.contains("Uncaught") || line.contains("Failed to load resource"),
                    "browser reported: " + line);
        }
    }
}
