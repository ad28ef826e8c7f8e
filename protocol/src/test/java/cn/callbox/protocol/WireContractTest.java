package cn.callbox.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import cn.callbox.protocol.mqtt.Topics;

class WireContractTest {

    @Test
    void topics_follow_the_architecture() {
        assertEquals("callbox/houshan/units/u1/alerts", Topics.alerts("houshan", "u1"));
        assertEquals("callbox/houshan/units/u1/acks", Topics.acks("houshan", "u1"));
        assertEquals("callbox/houshan/units/+/acks", Topics.allAcks("houshan"));
        assertEquals("callbox/houshan/incidents/INC-1", Topics.incident("houshan", "INC-1"));
        assertEquals("callbox/houshan/callboxes/box-1/status", Topics.callBoxStatus("houshan", "box-1"));
        assertEquals("callbox/houshan/units/u1/#", Topics.unitFilter("houshan", "u1"));
    }

    @Test
    void ids_that_would_break_a_topic_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> Topics.alerts("houshan", "u1/#"));
        assertThrows(IllegalArgumentException.class, () -> Topics.alerts("houshan", "+"));
        assertThrows(IllegalArgumentException.class, () -> Topics.incident("houshan", ""));
        assertThrows(IllegalArgumentException.class, () -> Topics.incident(null, "x"));
    }

    @Test
    void unit_of_a_topic() {
        assertEquals("u1", Topics.unitOf("houshan", "callbox/houshan/units/u1/acks"));
        assertNull(Topics.unitOf("houshan", "callbox/other/units/u1/acks"));
        assertNull(Topics.unitOf("houshan", "callbox/houshan/incidents/x"));
    }

    @Test
    void wire_names_are_lower_case_and_hyphenated() {
        assertEquals("steel-fork", ItemKind.STEEL_FORK.wireName());
        assertEquals(Optional.of(ItemKind.CUT_GLOVE), WireName.parse(ItemKind.class, " Cut-Glove "));
        assertEquals(Optional.empty(), WireName.parse(ItemKind.class, "sword"));
        assertEquals(Optional.empty(), WireName.parse(SirenPattern.class, null));
        assertEquals("acknowledged", CallState.ACKNOWLEDGED.wireName());
    }
}
