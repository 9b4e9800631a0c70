package org.overparam.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A formula written in plain ASCII math, as the checks state them in text and JSON, rendered as MathML for the HTML
 * reports (browsers render MathML Core with no script and no network). The notation is deliberately small:
 * <ul>
 * <li>{@code a^b}, {@code a_b}, {@code a_b^c}: super- and subscripts of the atom before; an atom is a name, a number,
 * a bracketed group {@code (…)}, or a brace group {@code {…}} (braces group and are not drawn);</li>
 * <li>{@code sqrt{…}}: a root; {@code ||…||}: a norm;</li>
 * <li>Greek letters by name ({@code lambda}, {@code Theta}, …), {@code grad} ∇, {@code sum} ∑, {@code inf} ∞,
 * {@code >=} ≥, {@code <=} ≤, {@code !=} ≠, {@code ->} →, {@code *} ·, {@code ~} ∼;</li>
 * <li>other names of several letters (min, rank, exp, log, sign) upright, single letters italic;</li>
 * <li>{@code "…"}: prose drawn as written ({@code "when"}, {@code "(Du et al.)"}); two spaces or more: a wide gap
 * between two statements.</li>
 * </ul>
 * Anything else is drawn as an operator as written. Text is escaped: a formula cannot inject markup.
 */
public final class MathMl {
    private static final Map<String, String> GREEK = Map.ofEntries(Map.entry("alpha", "α"), Map.entry("beta", "β"),
            Map.entry("gamma", "γ"), Map.entry("delta", "δ"), Map.entry("epsilon", "ε"), Map.entry("eta", "η"),
            Map.entry("theta", "θ"), Map.entry("kappa", "κ"), Map.entry("lambda", "λ"), Map.entry("mu", "μ"),
            Map.entry("rho", "ρ"), Map.entry("sigma", "σ"), Map.entry("tau", "τ"), Map.entry("phi", "φ"),
            Map.entry("omega", "ω"), Map.entry("pi", "π"), Map.entry("Theta", "Θ"), Map.entry("Lambda", "Λ"),
            Map.entry("Sigma", "Σ"), Map.entry("Delta", "Δ"), Map.entry("Omega", "Ω"), Map.entry("Phi", "Φ"));
    private static final Map<String, String> SYMBOLS = Map.of("grad", "∇", "sum", "∑", "inf", "∞");
    private static final Map<String, String> OPERATORS = Map.of(">=", "≥", "<=", "≤", "!=", "≠", "->", "→", "*", "·",
            "~", "∼", "-", "−");

    /** The token of a gap of two or more spaces (not a character a formula can contain). */
    private static final String GAP = "\u0000gap";

    private final List<String> tokens;
    private int at;

    private MathMl(List<String> tokens) {
        this.tokens = tokens;
    }

    /** {@code <math>…</math>} for the formula, inline. */
    public static String of(String ascii) {
        MathMl p = new MathMl(tokenize(ascii));
        StringBuilder out = new StringBuilder("<math>");
        out.append(p.row(null));
        return out.append("</math>").toString();
    }

    static List<String> tokenize(String s) {
        List<String> t = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                int j = i;
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                if (j - i >= 2 && !t.isEmpty() && j < s.length()) {
                    t.add(GAP); // a wide gap separates two statements; one space is only for reading the ASCII
                }
                i = j;
            } else if (c == '"') {
                int j = s.indexOf('"', i + 1);
                j = j < 0 ? s.length() : j;
                t.add("\"" + s.substring(i + 1, j)); // prose, drawn as written: "when", "(Du et al.)"
                i = Math.min(s.length(), j + 1);
            } else if (Character.isLetter(c)) {
                int j = i;
                while (j < s.length() && Character.isLetter(s.charAt(j))) {
                    j++;
                }
                t.add(s.substring(i, j));
                i = j;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                t.add(s.substring(i, j));
                i = j;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("||") || OPERATORS.containsKey(two)) {
                    t.add(two);
                    i += 2;
                } else {
                    t.add(String.valueOf(c));
                    i++;
                }
            }
        }
        return t;
    }

    /** Atoms with their scripts until {@code end} (a closing token) or the end. */
    private String row(String end) {
        StringBuilder r = new StringBuilder("<mrow>");
        while (at < tokens.size() && !tokens.get(at).equals(end)) {
            r.append(scripted());
        }
        if (end != null && at < tokens.size()) {
            at++; // the closing token
        }
        return r.append("</mrow>").toString();
    }

    private String scripted() {
        String base = atom();
        String sub = null;
        String sup = null;
        while (at < tokens.size() && (tokens.get(at).equals("_") || tokens.get(at).equals("^"))) {
            boolean isSub = tokens.get(at++).equals("_");
            // L^* is a star, not a product dot
            String s = at >= tokens.size() ? "<mrow></mrow>" : tokens.get(at).equals("*") && ++at > 0 ? "<mo>∗</mo>"
                    : atom();
            if (isSub) {
                sub = s;
            } else {
                sup = s;
            }
        }
        if (sub != null && sup != null) {
            return "<msubsup>" + base + sub + sup + "</msubsup>";
        }
        if (sub != null) {
            return "<msub>" + base + sub + "</msub>";
        }
        return sup != null ? "<msup>" + base + sup + "</msup>" : base;
    }

    private String atom() {
        String t = tokens.get(at++);
        if (t.equals("{")) {
            return row("}");
        }
        if (t.equals("(")) {
            return "<mrow><mo>(</mo>" + row(")") + "<mo>)</mo></mrow>";
        }
        if (t.equals("||")) {
            return "<mrow><mo>‖</mo>" + row("||") + "<mo>‖</mo></mrow>";
        }
        if (t.equals("sqrt") && at < tokens.size() && tokens.get(at).equals("{")) {
            at++;
            return "<msqrt>" + row("}") + "</msqrt>";
        }
        if (t.equals(GAP)) {
            return "<mspace width=\"1em\"></mspace>";
        }
        if (t.charAt(0) == '"') {
            return "<mtext>\u00a0" + escape(t.substring(1)) + "\u00a0</mtext>";
        }
        if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '.') {
            return "<mn>" + t + "</mn>";
        }
        if (Character.isLetter(t.charAt(0))) {
            if (GREEK.containsKey(t)) {
                return "<mi>" + GREEK.get(t) + "</mi>";
            }
            if (SYMBOLS.containsKey(t)) {
                String s = SYMBOLS.get(t);
                return s.equals("∞") ? "<mi>∞</mi>" : "<mo>" + s + "</mo>";
            }
            return t.length() == 1 ? "<mi>" + escape(t) + "</mi>" : "<mi mathvariant=\"normal\">" + escape(t) + "</mi>";
        }
        return "<mo>" + escape(OPERATORS.getOrDefault(t, t)) + "</mo>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
