package org.overparam.cli;

import java.io.PrintWriter;
import org.overparam.InputError;
import org.overparam.experiment.TrainRun;
import org.overparam.linalg.Blas;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code overparam} command. Exit codes: 0 success, 2 a user's mistake (one line on stderr, no stack
 * trace), 3 a diverging run, 1 anything else (a stack trace: our bug).
 */
@Command(name = "overparam", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"A laboratory for the optimization theory of over-parameterized neural networks:",
                "trains networks with GD/SGD in double precision (OpenBLAS), measures the Jacobian, the",
                "empirical and infinite-width NTK and the theory's constants on the same run, and checks",
                "each theorem's hypothesis and conclusion.", ""},
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, NtkCommand.class, KernelCommand.class, PredictCommand.class,
                CertifyCommand.class, MemorizeCommand.class, SweepCommand.class, ResultsCommand.class, MinWidthCommand.class,
                RandomizationCommand.class, DeepWideCommand.class, PolylogCommand.class, ReproduceCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 2 bad input (one-line message), 3 training diverged,",
                "1 internal error.",
                "Run 'overparam COMMAND --help' for the options of a command."})
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2;
    public static final int DIVERGED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(), args, out, err);
    }

    /** The full command line: every subcommand, with the configuration options added from the table. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getSubcommands().get("certify").getCommandSpec().usageMessage().footer(CertifyCommand.checksFooter());
        for (CommandLine sub : cl.getSubcommands().values()) {
            addConfigOptions(sub);
        }
        return cl;
    }

    /** A command line for one command (the Spark launcher's), with its configuration options added from the table. */
    public static CommandLine commandLine(Object command) {
        return addConfigOptions(new CommandLine(command));
    }

    private static CommandLine addConfigOptions(CommandLine cl) {
        if (cl.getCommand() instanceof TakesConfig t) {
            ConfigOptions.add(cl.getCommandSpec(), t.configFields(), t.defaults());
        }
        return cl;
    }

    /**
     * Runs any picocli command line with overparam's conventions and returns the exit code: a bad option or
     * an {@link InputError} is one line "NAME: error: ..." and {@link #BAD_INPUT}, where NAME is the root
     * command's name; a divergence that escapes a command is one line "NAME: diverged: ..." and {@link #DIVERGED};
     * anything else propagates (our bug). The Spark launcher (module spark) uses it too.
     */
    public static int execute(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
        String name = cl.getCommandName();
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String sub = ex.getCommandLine().getCommandName();
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                // picocli's nearest commands or options to a misspelled one, on the same line
                hint = "; did you mean " + String.join(" or ", u.getSuggestions().stream().limit(2).toList()) + "?";
            }
            err.println(name + ": error: " + oneLine(ex.getMessage()) + hint + " (see '" + name + " "
                    + (sub.equals(name) ? "" : sub + " ") + "--help')");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof InputError) {
                err.println(name + ": error: " + oneLine(ex.getMessage()));
                return BAD_INPUT;
            }
            if (ex instanceof org.overparam.train.DivergenceException) {
                // commands that train handle divergence themselves (train writes its summary first); this is the
                // backstop for any other path, so a diverging run never ends in a stack trace
                err.println(name + ": diverged: " + oneLine(ex.getMessage()) + "; lower the step size (--lr)");
                return DIVERGED;
            }
            throw ex;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(name + ": error: out of memory (" + oneLine(e.getMessage())
                    + "); use smaller widths, fewer samples or a minibatch (--optimizer sgd --batch B)");
            err.flush();
            return BAD_INPUT;
        }
    }

    /**
     * The message on one line with its control characters escaped: file names and header text from a user's file
     * reach messages, and a raw ESC or carriage return in them would redraw the terminal (issue 11). Line breaks
     * become spaces; any other control character (C0, DEL, C1) becomes \\uXXXX.
     */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                b.append(' ');
            } else if (Character.isISOControl(c) && c != '\t') {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** --version: overparam, Java, the BLAS backend and its thread count. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"overparam " + TrainRun.VERSION,
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                    "BLAS: " + Blas.describe()};
        }
    }
}
