package cn.callbox.hub.mqtt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.mqtt.MqttPrincipal.Role;

class TopicAccessPolicyTest {

    private final TopicAccessPolicy policy = new TopicAccessPolicy("houshan");
    private final MqttPrincipal hub = new MqttPrincipal("callbox-hub-x", Role.HUB, null);
    private final MqttPrincipal admin = new MqttPrincipal("admin", Role.ADMIN, null);
    private final MqttPrincipal member = new MqttPrincipal("m1", Role.MEMBER, "u1");

    @Test
    void the_hub_works_anywhere_in_its_township_including_shared_ack_subscriptions() {
        assertTrue(policy.maySubscribe(hub, "$share/callbox-hub/callbox/houshan/units/+/acks"));
        assertTrue(policy.maySubscribe(hub, "callbox/houshan/units/+/acks"));
        assertTrue(policy.mayPublish(hub, "callbox/houshan/incidents/inc-1", true));
        assertFalse(policy.mayPublish(hub, "callbox/other/incidents/inc-1", true));
        assertFalse(policy.maySubscribe(hub, "#"));
        assertFalse(policy.maySubscribe(hub, "$share/callbox-hub/callbox/other/units/+/acks"));
        assertFalse(policy.maySubscribe(hub, "$share//callbox/houshan/#"));
    }

    @Test
    void an_admin_reads_the_township_and_callbox_wildcard_but_publishes_nothing() {
        assertTrue(policy.maySubscribe(admin, "callbox/#"));
        assertTrue(policy.maySubscribe(admin, "callbox/houshan/#"));
        assertTrue(policy.maySubscribe(admin, "callbox/houshan/units/+/alerts"));
        assertFalse(policy.maySubscribe(admin, "#"));
        assertFalse(policy.maySubscribe(admin, "$SYS/#"));
        assertFalse(policy.maySubscribe(admin, "callbox/other/#"));
        assertFalse(policy.maySubscribe(admin, "$share/g/callbox/houshan/units/+/acks"));
        assertFalse(policy.mayPublish(admin, "callbox/houshan/units/u1/acks", false));
    }

    @Test
    void a_member_reads_its_unit_and_acks_only_there() {
        assertTrue(policy.maySubscribe(member, "callbox/houshan/units/u1/#"));
        assertTrue(policy.maySubscribe(member, "callbox/houshan/units/u1/alerts"));
        assertTrue(policy.maySubscribe(member, "callbox/houshan/units/u1/+"));
        assertFalse(policy.maySubscribe(member, "callbox/houshan/units/u10/alerts"));
        assertFalse(policy.maySubscribe(member, "callbox/houshan/units/u2/alerts"));
        assertFalse(policy.maySubscribe(member, "callbox/houshan/units/+/alerts"));
        assertFalse(policy.maySubscribe(member, "callbox/#"));
        assertFalse(policy.maySubscribe(member, "callbox/houshan/incidents/#"));
        assertTrue(policy.mayPublish(member, "callbox/houshan/units/u1/acks", false));
        assertFalse(policy.mayPublish(member, "callbox/houshan/units/u1/acks", true), "no retained acks");
        assertFalse(policy.mayPublish(member, "callbox/houshan/units/u2/acks", false));
        assertFalse(policy.mayPublish(member, "callbox/houshan/units/u1/alerts", false));
    }

    @Test
    void unknown_or_broken_principals_get_nothing() {
        assertFalse(policy.maySubscribe(null, "callbox/houshan/units/u1/alerts"));
        assertFalse(policy.mayPublish(null, "callbox/houshan/units/u1/acks", false));
        MqttPrincipal unitless = new MqttPrincipal("m9", Role.MEMBER, null);
        assertFalse(policy.maySubscribe(unitless, "callbox/houshan/units/u1/alerts"));
        assertFalse(policy.mayPublish(unitless, "callbox/houshan/units/u1/acks", false));
        MqttPrincipal wildcardUnit = new MqttPrincipal("m9", Role.MEMBER, "+");
        assertFalse(policy.maySubscribe(wildcardUnit, "callbox/houshan/units/+/alerts"));
    }
}
