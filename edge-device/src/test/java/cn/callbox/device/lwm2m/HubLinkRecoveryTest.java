package cn.callbox.device.lwm2m;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HubLinkRecoveryTest {

    private final List<String> done = new ArrayList<>();
    private int registrations = 1;
    private long now = 1_000;
    private final HubLinkRecovery recovery = new HubLinkRecovery(new HubLinkRecovery.Link() {
        @Override
        public void clearSession() {
            done.add("clear");
        }

        @Override
        public void updateNow() {
            done.add("update");
        }

        @Override
        public int registrations() {
            return registrations;
        }
    }, Duration.ofSeconds(90), () -> now);

    @Test
    void an_unanswered_send_on_a_healthy_idle_link_clears_the_session_and_asks_for_one_update() {
        recovery.succeeded();

        recovery.sendUnanswered();
        recovery.sendUnanswered();
        recovery.sendRefused();

        assertEquals(List.of("clear", "update"), done, "once until the engine reports back");
    }

    @Test
    void never_touches_the_link_while_the_engine_registers_or_updates() {
        recovery.succeeded();
        recovery.exchangeStarted();

        recovery.sendUnanswered();
        recovery.sendRefused();

        assertEquals(List.of(), done);
    }

    @Test
    void a_refused_send_asks_for_an_update_without_clearing_the_working_session() {
        recovery.succeeded();

        recovery.sendRefused();

        assertEquals(List.of("update"), done);
    }

    @Test
    void asks_no_update_while_the_engine_retries_a_failed_registration_or_holds_a_stale_registration() {
        recovery.failed();
        recovery.sendRefused();
        assertEquals(List.of(), done, "the engine's own retry is scheduled: a trigger would start a second chain");

        recovery.succeeded();
        registrations = 2;
        recovery.sendRefused();
        assertEquals(List.of(), done, "the update could use the stale registration id");
    }

    @Test
    void may_act_again_after_the_engine_reported_back_or_the_request_expired() {
        recovery.succeeded();
        recovery.sendRefused();
        recovery.exchangeStarted();
        recovery.succeeded();
        recovery.sendRefused();
        assertEquals(List.of("update", "update"), done);

        now += Duration.ofSeconds(89).toNanos();
        recovery.sendRefused();
        assertEquals(2, done.size(), "still waiting for the engine");
        now += Duration.ofSeconds(2).toNanos();
        recovery.sendRefused();
        assertEquals(3, done.size(), "the engine dropped the request: ask again");
    }
}
