package org.overparam.train;

/** Receives the run's state every {@code every()} steps (the CLI writes it to an .npz file). */
public interface Checkpointer {
    long every();

    void save(TrainState state);
}
