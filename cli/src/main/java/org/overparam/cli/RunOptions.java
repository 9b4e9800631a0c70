package org.overparam.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.overparam.InputError;
import org.overparam.io.Json;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Parallel;
import picocli.CommandLine.Option;

/** Threads and output format, shared by the commands that print one result object. */
final class RunOptions {
    @Option(names = "--threads", paramLabel = "T", description = "OpenBLAS and elementwise threads (default: all cores).")
    Integer threads;

    // ntk and kernel say on their --spectrum that --json implies it: the mixin serves commands without one too
    @Option(names = "--json", description = "Print exactly one JSON object on standard output.")
    boolean json;

    int threadCount() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /**
     * The thread count, set on OpenBLAS and the elementwise pool, for commands that run no experiment class
     * (NtkRun, KernelRun, CertifyRun set it themselves from {@link #threadCount()}).
     */
    int applyThreads() {
        int t = threadCount();
        if (t < 1) {
            throw new InputError("--threads must be positive");
        }
        Blas.setThreads(t);
        Parallel.setThreads(t);
        return t;
    }

    /** One JSON object with --json, else one "key: value" line per entry. */
    void print(Map<String, Object> result, PrintWriter out) {
        print(result, result, out);
    }

    /**
     * A result (a record) as one JSON object with --json, else one "key: value" line per entry of {@code lines},
     * the same result as a map.
     */
    void print(Object result, Map<String, Object> lines, PrintWriter out) {
        if (json) {
            out.println(Json.writeCompact(result));
        } else {
            // provenance is for files and --json; on the terminal it would bury the numbers
            lines.forEach((k, v) -> {
                if (!k.equals("provenance")) {
                    out.println(k + ": " + v);
                }
            });
        }
        out.flush();
    }
}
