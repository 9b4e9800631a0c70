package org.overparam.train;

/** The loss became NaN/Inf or grew past the divergence factor: the run stops (exit code 3). */
public class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final double loss;

    public DivergenceException(long step, double loss, double initialLoss, double lr) {
        super("training diverged at step " + step + ": loss " + loss + " (initial " + initialLoss + ") with step size "
                + lr + "; try a smaller --lr (e.g. " + (lr / 10) + ")");
        this.step = step;
        this.loss = loss;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
