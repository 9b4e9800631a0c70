package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.overparam.io.Json;

/** Runs the command line in-process for the CLI tests: exit code, standard output and standard error. */
final class CliRuns {
    private CliRuns() {
    }

    /** One invocation's outcome. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        List<String> outLines() {
            return out.lines().toList();
        }
    }

    /** `overparam ARGS` in a fresh JVM on the test classpath (for what only a new process shows: races, locks). */
    static ProcessBuilder childJvm(String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(java.util.List.of(args));
        return new ProcessBuilder(cmd);
    }

    static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(code, o.toString(), e.toString());
    }

    /** The single JSON object a successful --json run printed (asserts exit 0 and exactly one line). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Run r) {
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, r.out());
        return (Map<String, Object>) Json.parse(lines[0]);
    }
}
