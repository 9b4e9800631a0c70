package org.overparam;

/**
 * A user's mistake: a missing or malformed file, a shape mismatch, NaN in the data, an absurd size.
 * The message is one line that says what is wrong and what to do; the CLI prints it and exits with 2,
 * never with a stack trace. Anything else that escapes is our bug.
 */
public class InputError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputError(String message) {
        super(message);
    }

    public InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
