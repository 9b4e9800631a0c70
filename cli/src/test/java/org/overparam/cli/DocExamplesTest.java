package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The example markers of the markdown files mean what {@link DocExamples} says, and stale ones are refused. */
class DocExamplesTest {
    private static final List<String> DOC = List.of(
            "# doc",
            "<!-- example: help \"--big\": an hour -->",
            "<!-- example: smaller \"--steps 2000\" -> \"--steps 20\", \"--out a\" -> \"--out small\": a minute -->",
            "```sh",
            "D=\"mnist:dir=../shared/data/mnist,n=400\"   # the data",
            "./overparam train --dataset \"$D\" --steps 2000 \\",
            "    --out a   # a comment",
            "./overparam train --big --out 'b c'",
            "./overparam results r.duckdb --sql \"SELECT config->>'hidden' FROM runs\"",
            "mvn -B verify",
            "```",
            "<!-- example: file spec.yaml -->",
            "```yaml",
            "steps: 5",
            "```",
            "<!-- example: exit 2 \"--bad\" -->",
            "```",
            "./overparam train --bad",
            "```");

    @Test
    void markersVariablesAndQuotes() {
        DocExamples.Parsed p = DocExamples.parse("x.md", DOC, true);
        List<DocExamples.Example> e = p.examples();
        assertEquals(4, e.size());
        assertEquals(List.of("train", "--dataset", "mnist:dir=../shared/data/mnist,n=400", "--steps", "20", "--out", "small"),
                e.get(0).args());
        assertEquals(DocExamples.Mode.SMALLER, e.get(0).mode());
        assertEquals("x.md:6", e.get(0).where());
        assertEquals(List.of("train", "--big", "--out", "b c", "--help"), e.get(1).args());
        assertEquals("an hour", e.get(1).why());
        assertEquals(List.of("results", "r.duckdb", "--sql", "SELECT config->>'hidden' FROM runs"), e.get(2).args());
        assertEquals(DocExamples.Mode.RUN, e.get(2).mode());
        assertEquals(2, e.get(3).exit());
        assertEquals(0, e.get(2).exit());
        assertEquals("steps: 5\n", p.files().get("spec.yaml"));
        assertEquals(List.of("x.md:10  mvn -B verify"), p.others());
    }

    @Test
    void withoutMnistAnExampleReadingItRunsAsHelp() {
        DocExamples.Example e = DocExamples.parse("x.md", DOC, false).examples().get(0);
        assertEquals(DocExamples.Mode.HELP, e.mode());
        assertEquals("--help", e.args().get(e.args().size() - 1));
        assertTrue(e.why().contains(DocExamples.MNIST), e.why());
    }

    /** Without MNIST, what reads an MNIST run's folder runs as --help too (a fresh clone has no ../shared). */
    @Test
    void withoutMnistAnExampleReadingAnMnistRunsFolderRunsAsHelp() {
        List<String> doc = List.of("```sh", "./overparam train --dataset mnist:dir=../shared/data/mnist,n=10 --out m1",
                "./overparam certify --run m1 --out m1-cert", "./overparam certify --run other --out c2", "```");
        List<DocExamples.Example> e = DocExamples.parse("x.md", doc, false).examples();
        assertEquals(DocExamples.Mode.HELP, e.get(1).mode());
        assertTrue(e.get(1).why().contains("m1"), e.get(1).why());
        assertEquals(DocExamples.Mode.RUN, e.get(2).mode());
        assertEquals(DocExamples.Mode.RUN, DocExamples.parse("x.md", doc, true).examples().get(1).mode());
    }

    @Test
    void aMarkerThatMatchesNoCommandIsStale() {
        List<String> doc = List.of("<!-- example: help \"--gone\": was slow -->", "```sh", "./overparam train", "```");
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> DocExamples.parse("x.md", doc, true));
        assertTrue(x.getMessage().contains("--gone"), x.getMessage());
    }

    @Test
    void anUnknownMarkerOrAnUnsetVariableIsRefused() {
        assertThrows(IllegalStateException.class, () -> DocExamples.parse("x.md",
                List.of("<!-- example: hepl: typo -->", "```sh", "./overparam train", "```"), true));
        assertThrows(IllegalStateException.class, () -> DocExamples.parse("x.md",
                List.of("```sh", "./overparam train --data $X/x.npy", "```"), true));
    }
}
