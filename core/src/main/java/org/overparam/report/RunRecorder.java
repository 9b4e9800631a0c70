package org.overparam.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.overparam.io.Json;
import org.overparam.nn.Model;
import org.overparam.train.StepColumns;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainResult;
import org.overparam.train.TrainSpec;

/**
 * Records a run into a folder: {@code loss.csv} (one row per step; empty cells where a quantity was not
 * measured at that step), {@code metrics.jsonl} (the same rows as JSON Lines) and, at the end,
 * {@code loss.svg} (loss against step, log scale; SVG only, as a run of a sweep is not a paper's figure and thousands
 * of them are written). Only what was computed is written.
 */
public final class RunRecorder implements TrainObserver {
    private final Path dir;
    private final String lossName;
    private BufferedWriter csv;
    private BufferedWriter jsonl;
    private int layers;
    private final DoubleList steps = new DoubleList();
    private final DoubleList losses = new DoubleList();
    private final DoubleList recSteps = new DoubleList();
    private final DoubleList trainLosses = new DoubleList();
    private final DoubleList testLosses = new DoubleList();
    private boolean sgd;
    private final StepColumns extra;

    /** {@code loss}: the loss and its normalization, for the figure (e.g. "mse = (1/(2n)) * sum_i ..."). */
    public RunRecorder(Path dir, String loss) {
        this(dir, loss, null);
    }

    /** A recorder that also writes {@code extra}'s columns (e.g. train --track's measurements), empty where unmeasured. */
    public RunRecorder(Path dir, String loss, StepColumns extra) {
        this.dir = dir;
        this.lossName = loss;
        this.extra = extra;
    }

    @Override
    public void onStart(Model net, TrainSpec spec, long totalSteps) {
        layers = net.layers();
        sgd = spec.optimizer() == org.overparam.train.Optimizer.SGD;
        try {
            csv = Files.newBufferedWriter(dir.resolve("loss.csv"));
            jsonl = Files.newBufferedWriter(dir.resolve("metrics.jsonl"));
            StringBuilder h = new StringBuilder(
                    "step,epoch,lr,loss,train_loss,train_accuracy,grad_norm_sq,distance_from_init");
            for (int l = 0; l < layers; l++) {
                h.append(",distance_layer").append(l);
            }
            h.append(",test_loss,test_accuracy,seconds");
            if (extra != null) {
                for (String c : extra.columns()) {
                    h.append(',').append(c);
                }
            }
            h.append('\n');
            csv.write(h.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onStep(StepRecord r, Model net) {
        steps.add(r.step());
        losses.add(r.loss());
        if (!Double.isNaN(r.trainLoss()) && (sgd || r.full())) {
            recSteps.add(r.step());
            trainLosses.add(r.trainLoss());
            testLosses.add(r.testLoss());
        }
        StringBuilder s = new StringBuilder();
        s.append(r.step()).append(',').append(r.epoch()).append(',').append(num(r.lr())).append(',')
                .append(num(r.loss())).append(',').append(num(r.trainLoss())).append(',')
                .append(num(r.trainAccuracy())).append(',').append(num(r.gradNormSq())).append(',')
                .append(num(r.distance()));
        for (int l = 0; l < layers; l++) {
            s.append(',').append(r.layerDistance() == null ? "" : num(r.layerDistance()[l]));
        }
        s.append(',').append(num(r.testLoss())).append(',').append(num(r.testAccuracy())).append(',')
                .append(String.format(Locale.ROOT, "%.6f", r.seconds()));
        Map<String, Object> row = toMap(r);
        if (extra != null) {
            Map<String, Double> v = extra.at(r.step());
            for (String c : extra.columns()) {
                Double x = v.get(c);
                s.append(',').append(x == null ? "" : num(x));
                if (x != null) {
                    row.put(c, x);
                }
            }
        }
        s.append('\n');
        try {
            csv.write(s.toString());
            jsonl.write(Json.writeCompact(row));
            jsonl.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A step record as an ordered map with only the measured quantities. */
    public static Map<String, Object> toMap(StepRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", r.step());
        m.put("epoch", r.epoch());
        m.put("lr", r.lr());
        m.put("loss", r.loss());
        putIf(m, "train_loss", r.trainLoss());
        putIf(m, "train_accuracy", r.trainAccuracy());
        putIf(m, "grad_norm_sq", r.gradNormSq());
        putIf(m, "distance_from_init", r.distance());
        if (r.layerDistance() != null) {
            m.put("distance_per_layer", java.util.Arrays.stream(r.layerDistance()).boxed().toList());
        }
        putIf(m, "test_loss", r.testLoss());
        putIf(m, "test_accuracy", r.testAccuracy());
        m.put("seconds", r.seconds());
        return m;
    }

    private static void putIf(Map<String, Object> m, String k, double v) {
        if (!Double.isNaN(v)) {
            m.put(k, v);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    @Override
    public void onEnd(TrainResult result, Model net) {
        close();
    }

    /** Flushes and closes the files and draws loss.svg from what was recorded (also after a divergence). */
    public void close() {
        try {
            if (csv != null) {
                csv.close();
                jsonl.close();
                csv = null;
                plot();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void plot() throws IOException {
        if (steps.size() == 0) {
            return; // nothing was measured: no figure without data
        }
        PaperChart c = PaperChart.of("Loss of this run; " + lossName, "step", "loss").logY().integerX();
        c.add(sgd ? "minibatch loss" : "training loss", steps.toArray(), losses.toArray(), kind(steps.size()));
        if (sgd && recSteps.size() > 0) {
            c.add("full training loss", recSteps.toArray(), trainLosses.toArray(), kind(recSteps.size()));
        }
        if (recSteps.size() > 0 && java.util.Arrays.stream(testLosses.toArray()).anyMatch(v -> !Double.isNaN(v))) {
            c.add("test loss", recSteps.toArray(), testLosses.toArray(), kind(recSteps.size()));
        }
        c.writeSvg(dir.resolve("loss.svg"));
    }

    /** A loss at every step is a line; a few measurements (every 100th step) are markers joined by one. */
    private static PaperChart.Kind kind(int points) {
        return points > 30 ? PaperChart.Kind.CURVE : PaperChart.Kind.MEASURED;
    }

    /** Loss values recorded so far (for summaries). */
    public List<Double> losses() {
        return java.util.Arrays.stream(losses.toArray()).boxed().toList();
    }

    /** A growable double array (no boxing for long runs). */
    static final class DoubleList {
        private double[] a = new double[256];
        private int n;

        void add(double v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
