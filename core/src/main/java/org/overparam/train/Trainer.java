package org.overparam.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Model;

/**
 * Gradient descent and SGD on a {@link Model}. At step k the loss L(w_k) comes from the forward pass that
 * the gradient needs anyway; at record steps the gradient is materialized to measure ‖∇L‖² and
 * ‖w_k − w_0‖, otherwise the update w ← w − η∇L is folded into the gradient GEMMs (beta = 1) and no
 * gradient buffer is touched.
 *
 * <p>Reproducibility: the same seed and thread count give bit-identical runs. SGD's epoch e permutation is
 * drawn from a generator seeded by (seed, e) and a with-replacement batch at step k from (seed, k).
 */
public final class Trainer {
    private final Model net;
    private final Matrix x;
    private final Matrix y;
    private final TrainSpec spec;
    private final List<TrainObserver> observers = new ArrayList<>();
    private Matrix testX;
    private Matrix testY;
    private Checkpointer checkpointer;
    private StopRule stopRule = StopRule.NEVER;
    private TrainState resumeFrom;

    public Trainer(Model net, Matrix x, Matrix y, TrainSpec spec) {
        if (x.rows() != y.rows()) {
            throw new InputError("data has " + x.rows() + " rows but labels have " + y.rows());
        }
        if (x.cols() != net.inputSize()) {
            throw new InputError("data has " + x.cols() + " features but the network's input dimension is "
                    + net.inputSize());
        }
        int k = spec.loss().outputDim(y, net.outputSize());
        if (k != net.outputSize()) {
            throw new InputError("the network has " + net.outputSize() + " outputs but " + spec.loss().cliName()
                    + " with these labels needs " + k);
        }
        if (x.rows() == 0) {
            throw new InputError("the training set is empty");
        }
        this.net = net;
        this.x = x;
        this.y = y;
        this.spec = spec;
    }

    public Trainer observe(TrainObserver o) {
        observers.add(o);
        return this;
    }

    /** A held-out set evaluated at record steps. */
    public Trainer testSet(Matrix tx, Matrix ty) {
        if (tx.cols() != x.cols() || ty.cols() != y.cols() || tx.rows() != ty.rows()) {
            throw new InputError("test data " + tx.shape() + " / labels " + ty.shape() + " do not match training data "
                    + x.shape() + " / labels " + y.shape());
        }
        this.testX = tx;
        this.testY = ty;
        return this;
    }

    /** Ends the run early once {@code rule} is met (see {@link StopRule}). */
    public Trainer stopWhen(StopRule rule) {
        this.stopRule = rule;
        return this;
    }

    public Trainer checkpointer(Checkpointer c) {
        this.checkpointer = c;
        return this;
    }

    /** Continue from a saved state instead of the network's current weights. */
    public Trainer resumeFrom(TrainState state) {
        if (state.parameters().length != net.parameterCount()) {
            throw new InputError("checkpoint holds " + state.parameters().length + " parameters but the network has "
                    + net.parameterCount() + "; resume with the same architecture");
        }
        this.resumeFrom = state;
        return this;
    }

    public TrainResult run() {
        int n = x.rows();
        int b = spec.effectiveBatch(n);
        long total = spec.steps();
        boolean sgd = spec.optimizer() == Optimizer.SGD;
        Matrix params = net.parameters();
        Matrix w0 = params.copy();
        Matrix grad = net.newParameterVector();
        Matrix velocity = spec.momentum() > 0 ? net.newParameterVector() : null;
        long start = 0;
        if (resumeFrom != null) {
            params.copyFrom(resumeFrom.parameters());
            w0.copyFrom(resumeFrom.initialParameters());
            if (velocity != null && resumeFrom.velocity().length == velocity.size()) {
                velocity.copyFrom(resumeFrom.velocity());
            }
            start = resumeFrom.step();
        }
        int k = net.outputSize();
        Matrix xb = sgd ? Matrix.zeros(b, x.cols()) : x;
        Matrix yb = sgd ? Matrix.zeros(b, y.cols()) : y;
        Matrix dOut = Matrix.zeros(b, k);
        int[] perm = new int[n];
        long perEpoch = spec.stepsPerEpoch(n);
        for (TrainObserver o : observers) {
            o.onStart(net, spec, total);
        }
        long t0 = System.nanoTime();
        StepRecord first = null;
        StepRecord last = null;
        double initialLoss = Double.NaN;
        long permEpoch = -1;
        long stoppedAt = -1;
        try (Model.Pass ws = net.pass(b)) {
            for (long step = start; step <= total; step++) {
                boolean finalStep = step == total;
                boolean stopping = false;
                long epoch = step / perEpoch;
                Matrix bx = x;
                Matrix by = y;
                if (sgd && !finalStep) {
                    int rows;
                    if (spec.sampling() == Sampling.SHUFFLE) {
                        if (epoch != permEpoch) {
                            permutation(perm, mix(spec.seed(), epoch));
                            permEpoch = epoch;
                        }
                        int from = (int) ((step % perEpoch) * b);
                        rows = Math.min(b, n - from);
                        gather(perm, from, rows, xb, yb);
                    } else {
                        SplittableRandom rng = new SplittableRandom(mix(spec.seed() ^ 0x5DEECE66DL, step));
                        for (int i = 0; i < b; i++) {
                            perm[i] = rng.nextInt(n);
                        }
                        rows = b;
                        gather(perm, 0, rows, xb, yb);
                    }
                    bx = xb.rowBlock(0, rows);
                    by = yb.rowBlock(0, rows);
                }
                if (finalStep && sgd) {
                    bx = x;
                    by = y;
                }
                boolean record = finalStep || step % spec.recordEvery() == 0;
                double lr = spec.schedule().rate(spec.lr(), step, total);
                double loss;
                double trainLoss = Double.NaN;
                double trainAcc = Double.NaN;
                Matrix out = null;
                if (finalStep && sgd) {
                    Matrix pred = net.predict(x);
                    loss = spec.loss().value(pred, y);
                    trainAcc = spec.loss().accuracy(pred, y);
                    pred.close();
                } else {
                    out = ws.forward(bx);
                    Matrix d = dOut.rowBlock(0, bx.rows());
                    loss = spec.loss().gradient(out, by, d);
                    if (!sgd && (record || stopRule.atFit())) {
                        trainAcc = spec.loss().accuracy(out, by);
                    }
                }
                if (step == start) {
                    initialLoss = loss;
                }
                if (!Double.isFinite(loss) || (initialLoss > 0 && loss > spec.divergenceFactor() * initialLoss)) {
                    throw new DivergenceException(step, loss, initialLoss, lr);
                }
                if (!sgd) {
                    trainLoss = loss;
                } else if (record && !finalStep) {
                    Matrix pred = net.predict(x);
                    trainLoss = spec.loss().value(pred, y);
                    trainAcc = spec.loss().accuracy(pred, y);
                    pred.close();
                } else if (finalStep) {
                    trainLoss = loss;
                }
                if (!finalStep && stopRule.active() && stopRule.met(trainLoss, trainAcc)) {
                    // this step becomes the final record: full measurements, no update after it
                    stopping = true;
                    record = true;
                    if (!sgd && Double.isNaN(trainAcc)) {
                        trainAcc = spec.loss().accuracy(out, by);
                    }
                }
                double gradNormSq = Double.NaN;
                double distance = Double.NaN;
                double[] layerDistance = null;
                double testLoss = Double.NaN;
                double testAcc = Double.NaN;
                if (record) {
                    for (TrainObserver o : observers) {
                        o.atRecord(step, net);
                    }
                    // one pass: per-layer distances, the total from their squares
                    layerDistance = new double[net.layers()];
                    double sq = 0;
                    for (int l = 0; l < net.layers(); l++) {
                        layerDistance[l] = Vectors.distance(block(params, l), block(w0, l));
                        sq += layerDistance[l] * layerDistance[l];
                    }
                    distance = Math.sqrt(sq);
                    if (testX != null) {
                        Matrix tp = net.predict(testX);
                        testLoss = spec.loss().value(tp, testY);
                        testAcc = spec.loss().accuracy(tp, testY);
                        tp.close();
                    }
                }
                if (!finalStep && !stopping) {
                    Matrix d = dOut.rowBlock(0, bx.rows());
                    if (record || velocity != null) {
                        ws.backward(bx, d, grad, 1.0, 0.0);
                        if (record) {
                            gradNormSq = Vectors.dot(grad, grad);
                        }
                        if (velocity != null) {
                            Vectors.scale(spec.momentum(), velocity);
                            Vectors.axpy(1.0, grad, velocity);
                            Vectors.axpy(-lr, velocity, params);
                        } else {
                            Vectors.axpy(-lr, grad, params);
                        }
                    } else {
                        ws.backward(bx, d, params, -lr, 1.0);
                    }
                }
                StepRecord rec = new StepRecord(step, epoch, lr, loss, trainLoss, trainAcc, gradNormSq, distance,
                        layerDistance, testLoss, testAcc, (System.nanoTime() - t0) * 1e-9);
                if (first == null) {
                    first = rec;
                }
                last = rec;
                for (TrainObserver o : observers) {
                    o.onStep(rec, net);
                }
                if (checkpointer != null && !finalStep && step > start && step % checkpointer.every() == 0) {
                    checkpointer.save(new TrainState(step + 1, params.toArray(), w0.toArray(),
                            velocity == null ? new double[0] : velocity.toArray()));
                }
                if (stopping) {
                    stoppedAt = step;
                    break;
                }
            }
        } finally {
            w0.close();
            grad.close();
            dOut.close();
            if (velocity != null) {
                velocity.close();
            }
            if (sgd) {
                xb.close();
                yb.close();
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        long done = stoppedAt >= 0 ? stoppedAt : total;
        TrainResult result = new TrainResult(done, first, last, seconds, done > start ? seconds / (done - start) : 0,
                resumeFrom != null, stoppedAt >= 0);
        for (TrainObserver o : observers) {
            o.onEnd(result, net);
        }
        return result;
    }

    private Matrix block(Matrix flat, int l) {
        return Matrix.view(flat.pointer(), net.layerOffset(l), (int) net.layerLength(l), 1);
    }

    private void gather(int[] idx, int from, int rows, Matrix xb, Matrix yb) {
        var xs = x.buffer();
        var ys = y.buffer();
        var xd = xb.buffer();
        var yd = yb.buffer();
        int d = x.cols();
        int c = y.cols();
        for (int i = 0; i < rows; i++) {
            int src = idx[from + i];
            xd.put(i * d, xs, src * d, d);
            yd.put(i * c, ys, src * c, c);
        }
    }

    /** Fisher–Yates with a generator seeded by {@code seed}. */
    static void permutation(int[] perm, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    /** A well-mixed 64-bit seed from two numbers (SplitMix64's finalizer). */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
