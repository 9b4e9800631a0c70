package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.OutputFolder;

/** Issue 11: nothing a user owns is deleted or overwritten, whatever --out, --checkpoint-every or a sweep says. */
class UserFilesTest {
    @TempDir
    Path tmp;

    private CliRuns.Run train(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--dataset", "sphere:n=10,d=3", "--hidden", "8",
                "--steps", "3", "--lr", "0.1", "--threads", "1", "--out", out.toString()));
        a.addAll(List.of(extra));
        return run(a.toArray(new String[0]));
    }

    private static void assertRefused(CliRuns.Run r, String contains) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    private List<String> hidden(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    /** A Hugging Face-like folder (config.json beside the user's files) is not an overparam output folder. */
    @Test
    void aFolderWithAConfigJsonIsNotReplaced() throws IOException {
        Path m = Files.createDirectory(tmp.resolve("m"));
        Files.writeString(m.resolve("config.json"), "{}");
        Files.writeString(m.resolve("thesis.txt"), "x");
        assertRefused(train(m), "was not written by overparam");
        assertEquals("x", Files.readString(m.resolve("thesis.txt")));
        assertEquals(List.of(), hidden(tmp), "nothing left beside it");
    }

    /** An overparam folder is replaced; one where the user added a file is not. */
    @Test
    void anOldRunIsReplacedButNotIfTheUserAddedAFile() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, train(out).code());
        assertTrue(Files.exists(out.resolve(OutputFolder.MARKER)));
        assertEquals(0, train(out, "--seed", "7").code());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"seed\": 7")
                || Files.readString(out.resolve("config.json")).contains("\"seed\":7"));
        Files.writeString(out.resolve("notes.md"), "mine");
        assertRefused(train(out), "notes.md");
        assertEquals("mine", Files.readString(out.resolve("notes.md")));
        assertEquals(List.of(), hidden(tmp));
    }

    /**
     * A run killed between renaming the old folder aside and moving the new one in: the next run into the same place
     * finds the old folder (complete) and its own partial leftovers, and ends with one folder and no hidden ones.
     */
    @Test
    void aKilledReplacementIsRecoveredByTheNextRun() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, train(out).code());
        Files.move(out, tmp.resolve(".run.old-1234"));
        Path partial = Files.createDirectory(tmp.resolve(".run.partial-99"));
        Files.writeString(partial.resolve(".overparam-partial"), "overparam 1\n");
        Files.writeString(partial.resolve("loss.csv"), "step\n");
        // a hidden folder of the user's with a similar name, without overparam's marker, is left alone
        Path users = Files.createDirectory(tmp.resolve(".run.partial-mine"));
        assertEquals(0, train(out, "--seed", "3").code());
        assertTrue(Files.exists(out.resolve(OutputFolder.MARKER)));
        assertEquals(List.of(".run.partial-mine"), hidden(tmp));
        assertTrue(Files.isDirectory(users));
    }

    @Test
    void aSecondRunIntoALockedFolderStopsBeforeTraining() throws IOException {
        Path out = tmp.resolve("run");
        try (OutputFolder first = new OutputFolder(out)) {
            assertRefused(train(out), "another overparam run");
        }
        assertEquals(0, train(out).code());
        assertEquals(List.of(), hidden(tmp), "the lock file is removed");
    }

    @Test
    void aDanglingSymlinkIsRefusedBeforeTraining() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("nowhere"));
        assertRefused(train(link), "symbolic link");
        assertFalse(Files.exists(tmp.resolve("nowhere")));
    }

    @Test
    void aUsersFileNamedLikeTheCheckpointIsNotOverwritten() throws IOException {
        Path out = tmp.resolve("run");
        Path ck = tmp.resolve("run.checkpoint.npz");
        Files.writeString(ck, "my data");
        assertRefused(train(out, "--checkpoint-every", "1"), "not an overparam checkpoint");
        assertEquals("my data", Files.readString(ck));
        assertFalse(Files.exists(out));
        Files.delete(ck);
        assertEquals(0, train(out, "--checkpoint-every", "1").code());
        assertEquals(0, train(out, "--checkpoint-every", "1").code(), "its own checkpoint is overwritten");
    }

    @Test
    void studiesDoNotWriteIntoAUsersFolder() throws IOException {
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Files.writeString(mine.resolve("report.html"), "<p>my report</p>");
        assertRefused(run("deep-vs-wide", "--dataset", "margin:n=30,d=5,gamma=0.2", "--params", "40", "--depths", "1",
                "--seeds", "1", "--max-steps", "10", "--workers", "1", "--out", mine.toString()), "was not written by overparam");
        assertEquals("<p>my report</p>", Files.readString(mine.resolve("report.html")));
        assertEquals(List.of("report.html"), Files.list(mine).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aSweepWhoseRunsShareOneSaveModelFileIsRefused() throws IOException {
        Path spec = Files.writeString(tmp.resolve("s.yaml"), "base: {dataset: \"sphere:n=10,d=3\", hidden: \"4\", steps: 2, "
                + "lr: 0.1, save_model: " + tmp.resolve("m.npz") + "}\ngrid: {seed: [0, 1]}\n");
        assertRefused(run("sweep", spec.toString(), "--db", tmp.resolve("r.duckdb").toString(), "--out",
                tmp.resolve("runs").toString()), "save_model");
        assertFalse(Files.exists(tmp.resolve("m.npz")));
    }

    /**
     * A folder an overparam from before the marker wrote (files of its names only, its provenance in a JSON file) is
     * still replaced; the same folder with a user's file in it is not.
     */
    @Test
    void anOutputFolderFromBeforeTheMarkerIsRecognizedByItsContents() throws IOException {
        Path old = Path.of("src/test/resources/old-configs/gd-mse");
        Path out = Files.createDirectory(tmp.resolve("legacy"));
        for (String f : List.of("config.json", "summary.json", "loss.csv")) {
            Files.copy(old.resolve(f), out.resolve(f));
        }
        Files.writeString(out.resolve("tokenizer.json"), "{}");
        assertRefused(train(out), "was not written by overparam");
        Files.delete(out.resolve("tokenizer.json"));
        assertEquals(0, train(out).code());
        assertTrue(Files.exists(out.resolve(OutputFolder.MARKER)));
    }

    /**
     * Two processes into one folder: while a child JVM trains into it, a second run stops with exit 2 before
     * training, and the child still ends with exit 0 (an OS record lock, dropped whenever the process closed any
     * descriptor of the lock file, let both proceed and one crash).
     */
    @Test
    void aSecondProcessIntoTheSameFolderStopsAndTheFirstFinishes() throws Exception {
        Path out = tmp.resolve("same");
        Process child = CliRuns.childJvm("train", "--dataset", "sphere:n=40,d=5", "--hidden", "128", "--steps", "100000", "--target-loss", "1e-300",
                "--lr", "0.05", "--threads", "1", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            Path lock = tmp.resolve(".same.lock");
            for (int i = 0; i < 1200 && !Files.exists(lock.resolve("pid")) && child.isAlive(); i++) {
                Thread.sleep(50);
            }
            assertTrue(child.isAlive(), Files.readString(tmp.resolve("child.log")));
            assertRefused(train(out), "another overparam run");
        } finally {
            child.destroy(); // SIGTERM: the child's run ends as interrupted; what matters is what it leaves
            child.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    /** A lock left by a killed run (its process gone) is taken over. */
    @Test
    void aStaleLockIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path lock = Files.createDirectory(tmp.resolve(".run.lock"));
        Files.writeString(lock.resolve("pid"), gone.pid() + "\n");
        assertEquals(0, train(tmp.resolve("run")).code());
        assertFalse(Files.exists(lock));
    }

    /**
     * The README's main command twice into one folder: the demo writes its certificate/ into the run's folder after
     * committing it, and that nested folder answers to its own marker (the rerun was refused); a user's file inside it
     * still refuses.
     */
    @Test
    void theDemoRerunsIntoItsOwnFolder() throws IOException {
        Path out = tmp.resolve("overparam-demo");
        String[] demo = {"demo", "--n", "10", "--width", "64", "--steps", "20", "--out", out.toString()};
        assertEquals(0, run(demo).code());
        assertTrue(Files.exists(out.resolve("certificate/report.html")));
        assertEquals(0, run(demo).code());
        Files.writeString(out.resolve("certificate/mine.txt"), "x");
        assertRefused(run(demo), "certificate/mine.txt");
    }
}
