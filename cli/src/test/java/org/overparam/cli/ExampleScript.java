package org.overparam.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Runs one markdown file's examples in order in this JVM, whose working directory is the example folder (a JVM
 * cannot change its own, so {@link ReadmeCommandsTest} starts one per file there): relative paths in the examples
 * mean what they mean to a user in a fresh clone.
 *
 * <p>Arguments: the commands file (one command a line, its words separated by {@link #SEP}) and a results folder,
 * which receives per command N the files N.out and N.err and a line "N EXIT MILLIS" in results.txt as soon as
 * it ends (so a run cut short by the test's time limit still says how far it got).
 */
public final class ExampleScript {
    static final String SEP = "\u001f";

    private ExampleScript() {
    }

    public static void main(String[] a) throws Exception {
        List<String> commands = Files.readAllLines(Path.of(a[0]), StandardCharsets.UTF_8);
        Path results = Path.of(a[1]);
        for (int i = 0; i < commands.size(); i++) {
            String[] args = commands.get(i).split(SEP, -1);
            System.out.println("example " + i + ": overparam " + String.join(" ", args));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long t0 = System.nanoTime();
            int code;
            try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
                try {
                    code = Main.execute(args, o, e);
                } catch (Throwable t) {
                    // Main lets our bugs propagate (exit 1 with a stack trace for the launcher): the same here
                    t.printStackTrace(e);
                    code = 1;
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Files.writeString(results.resolve(i + ".out"), out.toString());
            Files.writeString(results.resolve(i + ".err"), err.toString());
            Files.writeString(results.resolve("results.txt"), i + " " + code + " " + millis + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(0);
    }
}
