package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;

/** The width solved for a parameter count: the count is the built network's, and no other width is closer. */
class UniformWidthTest {
    @Test
    void countIsExactlyTheBuiltNetworksAndNoOtherWidthIsCloser() {
        int[][] cases = {{784, 10, 1, 4000}, {784, 10, 4, 50_000}, {20, 1, 3, 2000}, {5, 2, 2, 61}, {3, 1, 6, 999}};
        for (int[] cs : cases) {
            for (boolean bias : new boolean[] {true, false}) {
                int d = cs[0];
                int k = cs[1];
                int depth = cs[2];
                long target = cs[3];
                UniformWidth w = UniformWidth.forParameters(d, k, depth, target, bias);
                int[] hidden = new int[depth];
                Arrays.fill(hidden, w.width());
                NetworkSpec spec = new NetworkSpec(d, hidden, k, NetworkSpec.parseActivations("relu"),
                        Parameterization.STANDARD, 1, 0, bias, TrainableLayers.ALL);
                try (Network net = Network.initialize(spec, 0)) {
                    assertEquals(net.parameterCount(), w.parameters(), Arrays.toString(cs) + " bias " + bias);
                }
                long miss = Math.abs(w.parameters() - target);
                for (int other = Math.max(1, w.width() - 3); other <= w.width() + 3; other++) {
                    assertTrue(miss <= Math.abs(UniformWidth.parameters(d, k, depth, other, bias) - target),
                            "width " + other + " is closer than " + w.width() + " for " + Arrays.toString(cs));
                }
            }
        }
    }

    @Test
    void aHandCount() {
        // depth 2, d = 3, k = 1, width 4, biases: 3*4+4 + 4*4+4 + 4*1+1 = 41
        assertEquals(41, UniformWidth.parameters(3, 1, 2, 4, true));
        assertEquals(new UniformWidth(4, 41), UniformWidth.forParameters(3, 1, 2, 41, true));
        assertEquals("4,4", new UniformWidth(4, 41).hidden(2));
    }

    @Test
    void countsBelowWidthOneOrAbsurdlyLargeAreInputErrors() {
        InputError small = assertThrows(InputError.class, () -> UniformWidth.forParameters(784, 10, 1, 100, true));
        assertTrue(small.getMessage().contains("below the 805 parameters"), small.getMessage());
        assertThrows(InputError.class, () -> UniformWidth.forParameters(10, 1, 1, Long.MAX_VALUE / 4, true));
    }
}
