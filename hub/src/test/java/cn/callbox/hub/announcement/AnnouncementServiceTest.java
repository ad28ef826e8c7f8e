package cn.callbox.hub.announcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.announcement.Announcement.Result;
import cn.callbox.hub.announcement.AnnouncementService.Message;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.ConsoleRole;
import cn.callbox.hub.testing.MutableClock;

/** Broadcasts over fake loudspeakers and registry, recorded in H2. */
class AnnouncementServiceTest {

    static final Instant T0 = Instant.parse("2026-12-03T00:30:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final Fixtures.Hub hub = new Fixtures.Hub(database(), new Fixtures.Directory(), new Fixtures.Speakers(),
            clock, Duration.ofSeconds(2));

    /** A fresh, migrated database for each test; PostgreSQL in {@link PostgresAnnouncementServiceTest}. */
    DataSource database() {
        return Fixtures.dataSource();
    }

    private static Targets targets(List<String> callboxes, List<String> villages, List<String> units) {
        return new Targets(callboxes, villages, units);
    }

    @Test
    void a_village_and_a_unit_resolve_to_their_boxes_and_every_box_is_spoken_to_at_once() {
        // the fake answers only once all four calls are in: a box-by-box sender would time out on the first
        hub.speakers.answerWhenCalls = 4;

        Announcement a = hub.announcements.announce(Message.of("  明天停水，请提前储水。 ", null, 2),
                targets(List.of(), List.of("houshan"), List.of("u-tianxing")), "disp");

        assertThat(a.results()).extracting(Result::endpoint)
                .containsExactly("houshan-01", "houshan-02", "market-01", "tianxing-01");
        assertThat(a.results()).allSatisfy(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.detail()).isEqualTo("announced");
        });
        assertThat(a.text()).isEqualTo("明天停水，请提前储水。");
        assertThat(a.clip()).isNull();
        assertThat(a.requestedBy()).isEqualTo("disp");
        assertThat(a.at()).isEqualTo(T0);
        assertThat(hub.speakers.calls).allSatisfy(c -> {
            assertThat(c.speech()).isEqualTo(new Loudspeakers.Speech("明天停水，请提前储水。", null, 2));
            assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void offline_and_silent_boxes_fail_without_holding_up_the_others_and_everything_is_recorded() {
        hub.speakers.offline.add("houshan-01");
        hub.speakers.silent.add("houshan-02");
        long started = System.nanoTime();

        Announcement a = hub.announcements.announce(Message.of(null, "assemble", null),
                targets(List.of("market-01", "houshan-01", "houshan-02"), List.of(), List.of()), "admin");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(a.results()).containsExactly(new Result("houshan-01", false, "offline"),
                new Result("houshan-02", false, "timeout"), new Result("market-01", true, "announced"));
        assertThat(a.clip()).isEqualTo("assemble");
        assertThat(a.repeat()).isEqualTo(1);

        List<Announcement> stored = hub.announcements.latest(new Caller("admin", ConsoleRole.ADMIN, null));
        assertThat(stored).containsExactly(a);
        assertThat(hub.audit.entries).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("admin");
            assertThat(e.action()).isEqualTo("announce");
            assertThat(e.target()).isEqualTo("houshan-01,houshan-02,market-01");
            assertThat(e.detail()).contains("clip: assemble", "1/3");
        });
        assertThat(hub.feed.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("announcement");
            assertThat(e.payload()).isEqualTo(Announcement.View.of(a));
            assertThat(e.units()).containsExactlyInAnyOrder("u-houshan", "u-market");
        });
    }

    @Test
    void unknown_targets_are_all_named_and_nothing_is_sent_or_recorded() {
        assertThatThrownBy(() -> hub.announcements.announce(Message.of("测试", null, null),
                targets(List.of("market-01", "nowhere-01"), List.of("atlantis"), List.of("u-ghost")), "disp"))
                .isInstanceOfSatisfying(AnnouncementException.UnknownTargets.class, e -> {
                    assertThat(e.unknown()).containsExactly("callbox nowhere-01", "village atlantis", "unit u-ghost");
                    assertThat(e.getMessage()).contains("nowhere-01", "atlantis", "u-ghost");
                });
        // known, but no box: a unit without boxes, a village with only such a unit
        assertThatThrownBy(() -> hub.announcements.announce(Message.of("测试", null, null),
                targets(List.of(), List.of("shiping"), List.of("u-empty")), "disp"))
                .isInstanceOfSatisfying(AnnouncementException.UnknownTargets.class,
                        e -> assertThat(e.unknown()).isEmpty());
        assertThatThrownBy(() -> hub.announcements.announce(Message.of("测试", null, null),
                targets(null, null, null), "disp")).isInstanceOf(AnnouncementException.Invalid.class);

        assertThat(hub.speakers.calls).isEmpty();
        assertThat(hub.count("announcement")).isZero();
        assertThat(hub.audit.entries).isEmpty();
        assertThat(hub.feed.events()).isEmpty();
    }

    @Test
    void a_message_is_exactly_one_of_a_short_text_and_a_known_clip_said_one_to_ten_times() {
        assertThat(Message.of("x".repeat(200), null, null)).isEqualTo(new Message("x".repeat(200), null, 1));
        assertThat(Message.of(null, "test", 10)).isEqualTo(new Message(null, "test", 10));
        assertThatThrownBy(() -> Message.of("x".repeat(201), null, 1))
                .isInstanceOf(AnnouncementException.Invalid.class).hasMessageContaining("200");
        assertThatThrownBy(() -> Message.of("文字", "test", 1)).isInstanceOf(AnnouncementException.Invalid.class);
        assertThatThrownBy(() -> Message.of("  ", null, 1)).isInstanceOf(AnnouncementException.Invalid.class);
        assertThatThrownBy(() -> Message.of(null, null, 1)).isInstanceOf(AnnouncementException.Invalid.class);
        assertThatThrownBy(() -> Message.of("文字", null, 0)).isInstanceOf(AnnouncementException.Invalid.class);
        assertThatThrownBy(() -> Message.of("文字", null, 11)).isInstanceOf(AnnouncementException.Invalid.class);
        assertThatThrownBy(() -> Message.of(null, "fanfare", 1))
                .isInstanceOfSatisfying(AnnouncementException.UnknownTargets.class,
                        e -> assertThat(e.unknown()).containsExactly("clip fanfare"));
    }

    @Test
    void the_list_is_newest_first_and_a_unit_leader_sees_only_broadcasts_that_reached_their_unit() {
        Announcement market = hub.announcements.announce(Message.of("集市通知", null, 1),
                targets(List.of(), List.of(), List.of("u-market")), "disp");
        clock.advance(Duration.ofMinutes(1));
        Announcement tianxing = hub.announcements.announce(Message.of("天星通知", null, 1),
                targets(List.of("tianxing-01"), List.of(), List.of()), "disp");

        assertThat(hub.announcements.latest(new Caller("police", ConsoleRole.POLICE, null)))
                .containsExactly(tianxing, market);
        assertThat(hub.announcements.latest(new Caller("leader", ConsoleRole.UNIT_LEADER, "u-market")))
                .containsExactly(market);
        assertThat(hub.announcements.latest(new Caller("leader", ConsoleRole.UNIT_LEADER, "u-empty"))).isEmpty();
    }

    @Test
    void the_list_holds_the_latest_100() {
        Message message = Message.of("x", null, 1);
        Targets market = targets(List.of("market-01"), null, null);
        Announcement first = hub.announcements.announce(message, market, "disp");
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofSeconds(1));
            hub.announcements.announce(message, market, "disp");
        }
        List<Announcement> latest = hub.announcements.latest(new Caller("admin", ConsoleRole.ADMIN, null));
        assertThat(latest).hasSize(100).doesNotContain(first);
        assertThat(latest.get(0).at()).isEqualTo(T0.plusSeconds(100));
        assertThat(latest.get(99).at()).isEqualTo(T0.plusSeconds(1));
    }
}
