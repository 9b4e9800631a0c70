package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./overparam ...} command in the README's and docs/' code blocks names a real command with real
 * options: each is parsed by the same command line the launcher runs (nothing is executed). A renamed or
 * removed option makes this fail, so the examples cannot go stale silently.
 */
class ReadmeCommandsTest {
    @Test
    void everyExampleCommandParses() throws Exception {
        List<String> commands = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(Path.of("../README.md")));
        if (Files.isDirectory(Path.of("../docs"))) {
            try (var s = Files.walk(Path.of("../docs"))) {
                s.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
            }
        }
        for (Path f : files) {
            commands.addAll(commands(Files.readAllLines(f)));
        }
        assertTrue(commands.size() >= 20, "found only " + commands.size() + " example commands");
        List<String> broken = new ArrayList<>();
        for (String c : commands) {
            String[] args = split(c);
            try {
                Main.commandLine().parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                broken.add(c + "  ->  " + e.getMessage());
            }
        }
        assertTrue(broken.isEmpty(), "README/docs commands that do not parse:\n" + String.join("\n", broken));
    }

    /** The commands in fenced code blocks: continuation lines joined, comments dropped; shell variables skipped. */
    static List<String> commands(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean code = false;
        StringBuilder cur = null;
        for (String raw : lines) {
            if (raw.startsWith("```")) {
                code = !code;
                continue;
            }
            if (!code) {
                continue;
            }
            String line = raw.replaceAll("\\s+#.*$", "").strip();
            if (cur != null) {
                cur.append(' ').append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line);
                if (!line.endsWith("\\")) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else if (line.startsWith("./overparam ")) {
                String body = line.substring("./overparam ".length());
                if (line.endsWith("\\")) {
                    cur = new StringBuilder(body.substring(0, body.length() - 1));
                } else {
                    out.add(body);
                }
            }
        }
        return out.stream().filter(c -> !c.contains("$") && !c.contains("|") && !c.contains(">")).toList();
    }

    /** Splits on spaces, keeping double-quoted words whole. */
    static String[] split(String c) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (char ch : c.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ' ' && !quoted) {
                if (w.length() > 0) {
                    words.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(ch);
            }
        }
        if (w.length() > 0) {
            words.add(w.toString());
        }
        return words.toArray(String[]::new);
    }
}
