package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.InputError;

/** The width and depth placeholders of --arch templates, and the parameter count of a network not yet allocated. */
class ArchTemplateTest {
    @Test
    void fillsInTheWidthAndRepeatsWhatIsMarked() {
        ArchTemplate t = ArchTemplate.parse("conv:m:3:s2,relu,res:0.5[conv:m:3,relu]*L,[conv:m:1,tanh]*L,gap,dense:m,relu,dense:2");
        assertTrue(t.hasWidth() && t.hasDepth());
        assertEquals("conv:5:3:s2,relu,res:0.5[conv:5:3,relu],res:0.5[conv:5:3,relu],conv:5:1,tanh,conv:5:1,tanh,gap,"
                + "dense:5,relu,dense:2", t.at(5, 2).spelling());
        assertEquals("conv:7:3:s2,relu,res:0.5[conv:7:3,relu],conv:7:1,tanh,gap,dense:7,relu,dense:2",
                t.at(7, 1).spelling());
        ArchTemplate fixed = ArchTemplate.parse("conv:4:3,relu,flatten,dense:1");
        assertFalse(fixed.hasWidth() || fixed.hasDepth());
        assertEquals(fixed.at(1, 1), fixed.at(9, 3));
    }

    @Test
    void aTemplateWithoutWhatAStudyVariesIsRefusedWithWhatToAdd() {
        InputError w = assertThrows(InputError.class,
                () -> ArchTemplate.parse("conv:4:3,relu,[conv:4:3]*L,flatten,dense:1").requireWidth("min-width"));
        assertTrue(w.getMessage().contains("write m"), w.getMessage());
        InputError d = assertThrows(InputError.class,
                () -> ArchTemplate.parse("conv:m:3,relu,flatten,dense:1").requireDepth("deep-vs-wide"));
        assertTrue(d.getMessage().contains("*L"), d.getMessage());
    }

    @Test
    void placeholdersInABadSpotAreRefusedByName() {
        for (String bad : List.of("conv:4:m,flatten,dense:1", "conv:m:3:sm,flatten,dense:1", "conv:m:3,avgpool:m,flatten,dense:1",
                "conv:m:3,res:m[conv:m:3],flatten,dense:1", "conv:m:3,flatten,dense:m", "conv:m:3,flatten,[dense:m]*L",
                "conv:m:3,[conv:m:3]*2,flatten,dense:1", "conv:m:3,conv*L:m:3,flatten,dense:1", "conv:l:3,flatten,dense:1",
                "conv:m:3,[conv:m:3,flatten,dense:1", "conv:m:3,flatten,dense:1]*L", "conv:m:3,box[relu],flatten,dense:1")) {
            InputError e = assertThrows(InputError.class, () -> ArchTemplate.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--arch"), bad + ": " + e.getMessage());
        }
        assertTrue(assertThrows(InputError.class, () -> ArchTemplate.parse("conv:m:3,flatten,dense:m")).getMessage()
                .contains("last layer"));
        assertTrue(assertThrows(InputError.class, () -> ArchTemplate.parse("conv:4:m,flatten,dense:1")).getMessage()
                .contains("output channels or units"));
    }

    @Test
    void theCountWithoutAllocatingIsTheBuiltNetworks() {
        Shape in = Shape.image(2, 6, 6);
        for (String arch : List.of("conv:3:3,relu,res:0.5[conv:3:3,relu],avgpool:2,flatten,dense:4",
                "conv:5:3:s2:valid,tanh,gap,dense:7,relu,dense:1")) {
            for (Parameterization p : List.of(Parameterization.STANDARD, Parameterization.NTK, Parameterization.DU2019)) {
                for (boolean bias : new boolean[] {true, false}) {
                    LayerNet.Spec spec = new LayerNet.Spec(Arch.parse(arch), in, p, 1.0, 0.1, bias);
                    try (LayerNet net = LayerNet.initialize(spec, 0)) {
                        assertEquals(net.parameterCount(), LayerNet.parameterCount(spec), arch + " " + p + " " + bias);
                    }
                }
            }
        }
    }
}
