package org.overparam.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

/** The ASCII-math notation of the checks' formulas, rendered as MathML: structure, symbols, escaping, well-formedness. */
class MathMlTest {
    /** Parses as XML (MathML in HTML is also well-formed XML here) and returns the text content. */
    static String text(String mathml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(mathml))).getDocumentElement().getTextContent();
    }

    @Test
    void thePlInequalityRendersWithNormsScriptsAndGreek() throws Exception {
        String m = MathMl.of("||grad L(w)||^2 >= (2 lambda_min(J J^T)/n) L(w)");
        assertEquals("‖∇L(w)‖2≥(2λmin(JJT)/n)L(w)", text(m));
        // the square belongs to the whole norm, min is an upright subscript of lambda, T a superscript of J
        assertTrue(m.contains("<msup><mrow><mo>‖</mo><mrow><mo>∇</mo><mi>L</mi>"), m);
        assertTrue(m.contains("<msub><mi>λ</mi><mi mathvariant=\"normal\">min</mi></msub>"), m);
        assertTrue(m.contains("<msup><mi>J</mi><mi>T</mi></msup>"), m);
    }

    @Test
    void bracesGroupWithoutBeingDrawnAndRootsAndStars() throws Exception {
        String m = MathMl.of("(1 - eta beta/2)^{2k} sqrt{n} L^* x_{h-1}");
        assertEquals("(1−ηβ/2)2kn​L∗xh−1".replace("\u200b", ""), text(m));
        assertTrue(m.contains("<msqrt><mrow><mi>n</mi></mrow></msqrt>"), m);
        assertTrue(m.contains("<msup><mi>L</mi><mo>∗</mo></msup>"), m);
        assertTrue(m.contains("<msub><mi>x</mi><mrow><mi>h</mi><mo>−</mo><mn>1</mn></mrow></msub>"), m);
    }

    /** Prose between statements keeps its words and spaces ("nwhend" read as one product before), escaped. */
    @Test
    void quotedProseIsTextAndAWideGapSeparatesStatements() throws Exception {
        String m = MathMl.of("rank J = n \"when\" d_in >= n,   m >= n^2 \"(Oymak <and> Soltanolkotabi)\"");
        assertEquals("rankJ=n\u00a0when\u00a0din≥n,m≥n2\u00a0(Oymak <and> Soltanolkotabi)\u00a0", text(m));
        assertTrue(m.contains("<mtext>\u00a0when\u00a0</mtext>"), m);
        assertTrue(m.contains("<mo>,</mo><mspace width=\"1em\"></mspace><mi>m</mi>"), m);
        assertFalse(m.contains("<and>"), m);
        text(MathMl.of("a \"unterminated")); // still well-formed
    }

    @Test
    void markupInAFormulaIsEscaped() throws Exception {
        String m = MathMl.of("a < b & <script>alert(1)</script>");
        assertFalse(m.contains("<script>"), m);
        assertTrue(text(m).contains("<script>"), m); // shown as text
    }

    @Test
    void unbalancedInputStillGivesWellFormedMarkup() throws Exception {
        for (String s : new String[] {"(a", "a)", "||x", "x^", "{a", "sqrt", "a_", "}"}) {
            text(MathMl.of(s)); // parses
        }
    }
}
