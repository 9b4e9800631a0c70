package org.overparam.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ./overparam} examples of one markdown file, in order, as a shell would see them, with the rules that
 * {@code <!-- example: ... -->} markers (invisible on the rendered page) set for the fenced block that follows them:
 *
 * <pre>
 * &lt;!-- example: help "TEXT": WHY --&gt;               the block's commands containing TEXT run with --help appended
 * &lt;!-- example: help: WHY --&gt;                      every command of the block does
 * &lt;!-- example: smaller "A" -&gt; "B", "C" -&gt; "D": WHY --&gt;  the block's commands containing A run with A replaced
 *                                                   by B (and C by D): the smallest settings of an expensive one
 * &lt;!-- example: exit N "TEXT" --&gt;                  the commands containing TEXT are meant to exit N
 * &lt;!-- example: file NAME --&gt;                      the block is a file the commands read: written as NAME first
 * </pre>
 *
 * A marker that matches no command of its block is an error (a stale rule). Shell variables set in a block
 * ({@code NAME="value"}) are substituted in later commands. A command that reads {@value #MNIST} runs only where that
 * folder exists (the MNIST files are not in the repository), otherwise with --help. Lines of shell blocks that are not
 * {@code ./overparam} commands (mvn, the Spark launchers) are collected as {@code others}: shown, not run.
 */
final class DocExamples {
    static final String MNIST = "../shared/data/mnist";
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*example:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern HELP = Pattern.compile("help(?: \"([^\"]+)\")?:\\s*(\\S.*)");
    private static final Pattern SMALLER = Pattern.compile("smaller ((?:\"[^\"]+\" -> \"[^\"]*\"(?:, )?)+):\\s*(\\S.*)");
    private static final Pattern PAIR = Pattern.compile("\"([^\"]+)\" -> \"([^\"]*)\"");
    private static final Pattern EXIT = Pattern.compile("exit (\\d+)(?: \"([^\"]+)\")?(?::\\s*(.*))?");
    private static final Pattern FILE = Pattern.compile("file (\\S+)");
    private static final Pattern ASSIGN = Pattern.compile("^([A-Z_][A-Z0-9_]*)=(.*)$");
    private static final Pattern VAR = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");

    enum Mode { RUN, SMALLER, HELP }

    /** One command: where it is, as written, and what runs (args without the leading ./overparam). */
    record Example(String file, int line, String written, List<String> args, Mode mode, String why, int exit) {
        String where() {
            return file + ":" + line;
        }
    }

    record Parsed(List<Example> examples, Map<String, String> files, List<String> others) {
    }

    /** One marker's rule, and whether it matched a command of its block. */
    private static final class Rule {
        final String kind;
        final String match;
        final String why;
        final List<String[]> pairs = new ArrayList<>();
        int exit;
        String fileName;
        boolean used;

        Rule(String kind, String match, String why) {
            this.kind = kind;
            this.match = match;
            this.why = why;
        }

        boolean applies(String command) {
            return match == null || command.contains(match);
        }
    }

    private DocExamples() {
    }

    static Parsed parse(String file, List<String> lines, boolean mnistPresent) {
        List<Example> examples = new ArrayList<>();
        java.util.Set<String> unwritten = new java.util.HashSet<>();
        Map<String, String> files = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        Map<String, String> vars = new LinkedHashMap<>();
        List<Rule> pending = new ArrayList<>();
        List<Rule> block = List.of();
        boolean code = false;
        boolean shell = false;
        StringBuilder fileText = null;
        String fileName = null;
        StringBuilder cur = null;
        int curLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            int lineNo = i + 1;
            if (raw.startsWith("```")) {
                if (!code) {
                    code = true;
                    shell = raw.equals("```sh") || raw.equals("```bash");
                    block = pending;
                    pending = new ArrayList<>();
                    fileName = null;
                    for (Rule r : block) {
                        if (r.kind.equals("file")) {
                            fileName = r.fileName;
                            r.used = true;
                        }
                    }
                    fileText = fileName == null ? null : new StringBuilder();
                } else {
                    code = false;
                    if (fileName != null) {
                        files.put(fileName, fileText.toString());
                    }
                    for (Rule r : block) {
                        if (!r.used) {
                            throw new IllegalStateException(file + ":" + lineNo + ": the marker '" + r.kind
                                    + (r.match == null ? "" : " \"" + r.match + "\"") + "' matches no command of the block above");
                        }
                    }
                    block = List.of();
                }
                continue;
            }
            if (!code) {
                Matcher m = MARKER.matcher(raw);
                if (m.matches()) {
                    pending.add(rule(file + ":" + lineNo, m.group(1)));
                }
                continue;
            }
            if (fileText != null) {
                fileText.append(raw).append('\n');
                continue;
            }
            String line = raw.strip();
            boolean continues = line.endsWith("\\");
            String piece = (continues ? line.substring(0, line.length() - 1) : line).strip();
            if (cur != null) {
                cur.append(' ').append(piece);
            } else if (line.equals("./overparam") || line.startsWith("./overparam ")) {
                cur = new StringBuilder(piece.substring("./overparam".length()).strip());
                curLine = lineNo;
            } else {
                Matcher a = ASSIGN.matcher(line);
                if (a.matches()) {
                    List<String> value = words(substitute(a.group(2), vars, file, lineNo));
                    vars.put(a.group(1), value.isEmpty() ? "" : value.get(0));
                } else if (shell && !line.isEmpty() && !line.startsWith("#")) {
                    others.add(file + ":" + lineNo + "  " + line);
                }
                continue;
            }
            if (continues) {
                continue;
            }
            examples.add(example(file, curLine, cur.toString(), block, vars, mnistPresent, unwritten));
            cur = null;
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(file + ": a marker after the last code block");
        }
        return new Parsed(examples, files, others);
    }

    /**
     * @param unwritten the --out folders of earlier examples of the file that ran as --help for want of MNIST: an
     *                  example reading one of them (e.g. {@code certify --run mnist01}) runs as --help too, and its own
     *                  --out joins them
     */
    private static Example example(String file, int line, String written, List<Rule> rules, Map<String, String> vars,
            boolean mnistPresent, java.util.Set<String> unwritten) {
        String text = written;
        Mode mode = Mode.RUN;
        String why = "";
        int exit = 0;
        for (Rule r : rules) {
            if (r.kind.equals("smaller") && written.contains(r.pairs.get(0)[0])) {
                for (String[] p : r.pairs) {
                    if (!text.contains(p[0])) {
                        throw new IllegalStateException(file + ":" + line + ": smaller \"" + p[0] + "\" is not in: " + written);
                    }
                    text = text.replace(p[0], p[1]);
                }
                mode = Mode.SMALLER;
                why = r.why;
                r.used = true;
            }
        }
        for (Rule r : rules) {
            if (r.kind.equals("exit") && r.applies(written)) {
                exit = r.exit;
                r.used = true;
            }
        }
        for (Rule r : rules) {
            if (r.kind.equals("help") && r.applies(written)) {
                mode = Mode.HELP;
                why = r.why;
                r.used = true;
            }
        }
        text = substitute(text, vars, file, line);
        List<String> args = new ArrayList<>(words(text));
        if (!mnistPresent) {
            String missing = null;
            for (int i = 0; i + 1 < args.size(); i++) {
                String value = args.get(i + 1);
                if (!args.get(i).equals("--out") && unwritten.contains(value.split("/")[0])) {
                    missing = value.split("/")[0];
                }
            }
            if (mode != Mode.HELP && text.contains(MNIST)) {
                mode = Mode.HELP;
                why = "needs the MNIST files in " + MNIST + ", absent here";
            } else if (mode != Mode.HELP && missing != null) {
                mode = Mode.HELP;
                why = "reads " + missing + ", which an example above writes only where the MNIST files are";
            }
            int out = args.indexOf("--out");
            if ((text.contains(MNIST) || missing != null) && out >= 0 && out + 1 < args.size()) {
                unwritten.add(args.get(out + 1));
            }
        }
        if (mode == Mode.HELP) {
            args.add("--help");
            exit = 0;
        }
        return new Example(file, line, written, List.copyOf(args), mode, why, exit);
    }

    private static Rule rule(String where, String body) {
        Matcher m;
        if ((m = HELP.matcher(body)).matches()) {
            return new Rule("help", m.group(1), m.group(2));
        }
        if ((m = SMALLER.matcher(body)).matches()) {
            Rule r = new Rule("smaller", null, m.group(2));
            Matcher p = PAIR.matcher(m.group(1));
            while (p.find()) {
                r.pairs.add(new String[] {p.group(1), p.group(2)});
            }
            return r;
        }
        if ((m = EXIT.matcher(body)).matches()) {
            Rule r = new Rule("exit", m.group(2), m.group(3));
            r.exit = Integer.parseInt(m.group(1));
            return r;
        }
        if ((m = FILE.matcher(body)).matches()) {
            Rule r = new Rule("file", null, "");
            r.fileName = m.group(1);
            return r;
        }
        throw new IllegalStateException(where + ": unknown example marker: " + body);
    }

    private static String substitute(String text, Map<String, String> vars, String file, int line) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException(file + ":" + line + ": $" + m.group(1) + " is set by no earlier line");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The shell's words: split on blanks outside quotes, quotes removed, a '#' starting a word begins a comment. */
    static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && !inWord) {
                break;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalStateException("unclosed quote in: " + s);
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
