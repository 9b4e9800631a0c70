package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Progress phrases: the rate so far, and the time left at that rate. */
class EtaTest {
    @Test
    void durationsAndTheTimeLeft() {
        assertEquals("0.4 s", Eta.duration(0.44));
        assertEquals("12 s", Eta.duration(12.2));
        assertEquals("3m05s", Eta.duration(185));
        assertEquals("2h04m", Eta.duration(7440));
        assertEquals("17/27, 2.0 s each, ETA 20 s", Eta.of(17, 27, 34));
        assertEquals("27/27, 2.0 s each, ETA 0.0 s", Eta.of(27, 27, 54));
        assertEquals("0/5", Eta.of(0, 5, 1));
    }
}
