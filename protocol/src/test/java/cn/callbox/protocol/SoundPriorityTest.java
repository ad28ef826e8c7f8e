package cn.callbox.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class SoundPriorityTest {

    @Test
    void alarm_outranks_drill_outranks_routine_and_nothing_outranks_itself() {
        assertTrue(SoundPriority.ALARM.outranks(SoundPriority.DRILL));
        assertTrue(SoundPriority.DRILL.outranks(SoundPriority.ROUTINE));
        assertTrue(SoundPriority.ALARM.outranks(SoundPriority.ROUTINE));
        assertFalse(SoundPriority.ROUTINE.outranks(SoundPriority.ALARM));
        for (SoundPriority priority : SoundPriority.values()) {
            assertFalse(priority.outranks(priority));
        }
    }

    @Test
    void a_siren_pattern_is_its_priority_and_a_test_is_routine() {
        assertEquals(SoundPriority.ALARM, SoundPriority.of(SirenPattern.ALARM));
        assertEquals(SoundPriority.DRILL, SoundPriority.of(SirenPattern.DRILL));
        assertEquals(SoundPriority.ROUTINE, SoundPriority.of(SirenPattern.TEST));
    }

    @Test
    void wire_names_are_alarm_drill_routine() {
        assertEquals(Optional.of(SoundPriority.ROUTINE), WireName.parse(SoundPriority.class, "routine"));
        assertEquals("drill", SoundPriority.DRILL.wireName());
        assertEquals(Optional.empty(), WireName.parse(SoundPriority.class, "test"));
    }
}
