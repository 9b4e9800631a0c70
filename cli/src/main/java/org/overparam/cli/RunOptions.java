package org.overparam.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.overparam.io.Json;
import picocli.CommandLine.Option;

/** Threads and output format, shared by the commands that print one result object. */
final class RunOptions {
    @Option(names = "--threads", paramLabel = "T", description = "OpenBLAS and elementwise threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print exactly one JSON object on standard output (implies --spectrum).")
    boolean json;

    int threadCount() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** One JSON object with --json, else one "key: value" line per entry. */
    void print(Map<String, Object> result, PrintWriter out) {
        if (json) {
            out.println(Json.writeCompact(result));
        } else {
            result.forEach((k, v) -> out.println(k + ": " + v));
        }
        out.flush();
    }
}
