package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.data.Synthetic;
import org.overparam.io.NdArray;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;
import org.overparam.train.TrainResult;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/** The README's library snippet, verbatim but for fewer steps, and what the README claims about it. */
class ReadmeExampleTest {
    @Test
    void theReadmeSnippetRunsAndShowsLinearConvergenceInTheLazyRegime() {
        List<double[]> printed = new ArrayList<>();
        Blas.setThreads(2);
        NdArray x = Synthetic.sphere(100, 10, 0);
        NdArray y = Synthetic.randomNormalLabels(100, 1, 0);
        try (Network net = Network.initialize(NetworkSpec.du2019(10, 8192, Activations.RELU), 0)) {
            TrainResult r = new Trainer(net, Matrix.of(100, 10, x.data()), Matrix.of(100, 1, y.data()),
                    TrainSpec.gd(Loss.MSE, 20.0, 300, 0))
                .observe((rec, n) -> {
                    if (rec.full()) {
                        printed.add(new double[] {rec.step(), rec.loss(), rec.distance()});
                    }
                })
                .run();
            // the loss falls by orders of magnitude while the trained layer moves little relative to its norm
            assertTrue(r.last().loss() < 1e-3 * r.first().loss(), "final " + r.last().loss());
            double norm = net.weight(0).frobenius();
            assertTrue(r.last().distance() < 0.15 * norm, "distance " + r.last().distance() + " vs norm " + norm);
        }
        assertTrue(printed.size() == 301, "records " + printed.size()); // TrainSpec.gd records every step
    }
}
