package org.overparam.experiment;

import org.overparam.InputError;

/**
 * A run's output folder is locked by another live process ({@link FolderLock}). A user's conflict like any
 * {@link InputError}, and its own type because one caller expects it: a Spark task retried after its executor
 * was lost finds the folder still locked by that executor's JVM for the moments it outlives its worker, and waits
 * for it instead of failing the run.
 */
public final class FolderBusyError extends InputError {
    private static final long serialVersionUID = 1L;

    public FolderBusyError(String message) {
        super(message);
    }
}
