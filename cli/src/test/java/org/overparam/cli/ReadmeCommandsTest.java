package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./overparam ...} example in the README's and docs/' fenced code blocks runs as written, in order, one
 * fresh folder per markdown file laid out like a fresh clone (the repository's files linked in, {@code ../shared}
 * beside it when this checkout has one), and exits 0 (or the code its marker states). Expensive examples run with the
 * smallest settings or with --help, each by a visible marker in the markdown ({@link DocExamples}); the test prints
 * which ran how and why. A renamed option, a file an example reads that no earlier one wrote, or a command that
 * fails makes this fail, naming the file, the command and the end of its standard error.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A file's examples run in one JVM; past this it is stopped and reported. */
    private static final long FILE_LIMIT_MINUTES = 6;

    /** The fast check, in this JVM: every example parses on the real command line (options, values, arity). */
    @Test
    void everyExampleParses() throws Exception {
        List<DocExamples.Example> all = new ArrayList<>();
        for (Path f : markdownFiles()) {
            all.addAll(parse(f).examples());
        }
        assertTrue(all.size() >= 40, "found only " + all.size() + " example commands");
        List<String> broken = new ArrayList<>();
        for (DocExamples.Example e : all) {
            try {
                Main.commandLine().parseArgs(e.args().toArray(String[]::new));
            } catch (CommandLine.ParameterException x) {
                broken.add(e.where() + "  " + e.written() + "  ->  " + x.getMessage());
            }
        }
        assertTrue(broken.isEmpty(), "README/docs commands that do not parse:\n" + String.join("\n", broken));
    }

    @Test
    void everyExampleRuns() throws Exception {
        // under target/, not a JUnit temp folder: the links into the repository are removed without following them,
        // and the folders stay for a look after a failure
        Path tmp = Path.of("target", "readme-examples").toAbsolutePath();
        if (Files.exists(tmp)) {
            try (var s = Files.walk(tmp)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }
        Files.createDirectories(tmp);
        Path shared = ROOT.resolveSibling("shared");
        if (Files.isDirectory(shared)) {
            Files.createSymbolicLink(tmp.resolve("shared"), shared);
        }
        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        // -Dexamples.only=NAME runs only the markdown files whose path contains NAME (while editing one doc)
        String only = System.getProperty("examples.only", "");
        for (Path md : markdownFiles()) {
            if (!md.toString().contains(only)) {
                continue;
            }
            DocExamples.Parsed p = parse(md);
            for (String o : p.others()) {
                report.add(String.format(Locale.ROOT, "%-8s %7s  %s   (not an ./overparam command)", "not run", "", o));
            }
            if (p.examples().isEmpty()) {
                continue;
            }
            runFile(md, p, tmp, report, failures);
        }
        String summary = String.format(Locale.ROOT, "%d examples in %.0f s:%n%s", report.size(),
                (System.nanoTime() - t0) / 1e9, String.join("\n", report));
        System.out.println(summary);
        assertTrue(failures.isEmpty(), String.join("\n\n", failures) + "\n\n" + summary);
    }

    /** One markdown file's examples, in order, in one JVM whose working directory is a fresh clone-like folder. */
    private static void runFile(Path md, DocExamples.Parsed p, Path tmp, List<String> report, List<String> failures)
            throws IOException, InterruptedException {
        String name = ROOT.relativize(md).toString();
        Path clone = Files.createDirectory(tmp.resolve(name.replace('/', '-').replace(".md", "")));
        try (var entries = Files.list(ROOT)) {
            // the checkout, not what overparam wrote into it (a demo run there must not turn the example's
            // ./overparam-demo into a link to it)
            for (Path e : entries.filter(e -> !e.getFileName().toString().startsWith(".")
                    && !Files.exists(e.resolve(".overparam-output.json"))).toList()) {
                Files.createSymbolicLink(clone.resolve(e.getFileName()), e);
            }
        }
        for (var f : p.files().entrySet()) {
            Files.writeString(clone.resolve(f.getKey()), f.getValue());
        }
        Path results = Files.createDirectory(tmp.resolve(clone.getFileName() + ".results"));
        List<String> lines = p.examples().stream().map(e -> String.join(ExampleScript.SEP, e.args())).toList();
        Files.write(results.resolve("commands.txt"), lines);
        Path log = results.resolve("log.txt");
        Process child = childJvm(ExampleScript.class, results.resolve("commands.txt").toString(), results.toString())
                .directory(clone.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = child.waitFor(FILE_LIMIT_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        List<String> done = Files.exists(results.resolve("results.txt"))
                ? Files.readAllLines(results.resolve("results.txt")) : List.of();
        for (int i = 0; i < p.examples().size(); i++) {
            DocExamples.Example e = p.examples().get(i);
            String how = switch (e.mode()) {
                case RUN -> "ran";
                case SMALLER -> "smaller";
                case HELP -> "--help";
            };
            String line = e.where() + "  overparam " + e.written();
            if (e.mode() != DocExamples.Mode.RUN) {
                line += "\n" + " ".repeat(19) + "ran: overparam " + String.join(" ", e.args()) + "   (" + e.why() + ")";
            }
            if (i >= done.size()) {
                report.add(String.format(Locale.ROOT, "%-8s %7s  %s", "NOT DONE", "", line));
                failures.add(e.where() + ": did not finish within the file's " + FILE_LIMIT_MINUTES + " minutes: overparam "
                        + String.join(" ", e.args()) + "\n" + tail(log, 15));
                continue;
            }
            String[] r = done.get(i).split(" ");
            int code = Integer.parseInt(r[1]);
            report.add(String.format(Locale.ROOT, "%-8s %6.1fs  %s", code == e.exit() ? how : "FAILED",
                    Long.parseLong(r[2]) / 1000.0, line));
            if (code != e.exit()) {
                failures.add(e.where() + ": exit " + code + " (expected " + e.exit() + "): overparam "
                        + String.join(" ", e.args()) + "\nstderr:\n" + tail(results.resolve(i + ".err"), 15));
            }
        }
    }

    private static ProcessBuilder childJvm(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", absoluteClassPath(), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** The test classpath with every entry absolute: the child runs in another working directory. */
    private static String absoluteClassPath() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            out.add(Path.of(e).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static String tail(Path f, int n) throws IOException {
        if (!Files.exists(f)) {
            return "(nothing written)";
        }
        List<String> l = Files.readAllLines(f);
        return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
    }

    private static DocExamples.Parsed parse(Path md) throws IOException {
        return DocExamples.parse(ROOT.relativize(md).toString(), Files.readAllLines(md),
                Files.isDirectory(ROOT.resolve(DocExamples.MNIST).normalize()));
    }

    /** README.md, then docs/*.md in name order. */
    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (var s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }
}
