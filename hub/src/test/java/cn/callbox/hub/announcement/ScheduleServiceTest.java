package cn.callbox.hub.announcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.announcement.ScheduleService.Definition;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.ConsoleRole;
import cn.callbox.hub.testing.MutableClock;

/**
 * Schedule timing on a hand-moved clock. 2026-12-03 is a Thursday; township time is UTC+8, so 09:00 there is 01:00Z.
 */
class ScheduleServiceTest {

    /** Thursday 2026-12-03 08:30 township time. */
    static final Instant T0 = Instant.parse("2026-12-03T00:30:00Z");
    static final List<Integer> MARKET_DAYS = List.of(3, 6, 9, 13, 16, 19, 23, 26, 29);

    private final MutableClock clock = new MutableClock(T0);
    private final DataSource dataSource = database();
    private final Fixtures.Hub hub = new Fixtures.Hub(dataSource, new Fixtures.Directory(), new Fixtures.Speakers(),
            clock, Duration.ofSeconds(2));
    private final Caller admin = new Caller("admin", ConsoleRole.ADMIN, null);

    /** A fresh, migrated database for each test; PostgreSQL in {@link PostgresScheduleServiceTest}. */
    DataSource database() {
        return Fixtures.dataSource();
    }

    private static Definition marketDays() {
        return new Definition("反诈预警", "谨防电信诈骗。", null, 1, new Targets(null, null, List.of("u-market")),
                List.of(), MARKET_DAYS, "09:00", true);
    }

    private static Instant township(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(Schedule.ZONE).toInstant();
    }

    private long broadcasts() {
        return hub.count("announcement");
    }

    @Test
    void a_due_occurrence_runs_once_not_twice_and_not_again_after_a_restart() {
        Schedule s = hub.schedules.create(marketDays(), "admin");
        assertThat(hub.schedules.view(s).nextRunAt()).isEqualTo("2026-12-03T01:00:00Z");

        clock.set(township("2026-12-03T08:59:59"));
        hub.schedules.tick();
        assertThat(broadcasts()).isZero();

        clock.set(township("2026-12-03T09:00:05"));
        hub.schedules.tick();
        assertThat(broadcasts()).isEqualTo(1);
        assertThat(hub.speakers.endpoints()).containsExactly("market-01");
        clock.advance(Duration.ofSeconds(15));
        hub.schedules.tick();
        assertThat(broadcasts()).isEqualTo(1);

        // a restarted hub: new services on the same database
        Fixtures.Hub restarted = new Fixtures.Hub(dataSource, hub.directory, hub.speakers, clock,
                Duration.ofSeconds(2));
        clock.advance(Duration.ofMinutes(1));
        restarted.schedules.tick();
        assertThat(broadcasts()).isEqualTo(1);
        assertThat(hub.speakers.calls).hasSize(1);

        Announcement ran = hub.announcements.latest(admin).get(0);
        assertThat(ran.requestedBy()).isEqualTo("schedule:反诈预警");
        assertThat(ran.text()).isEqualTo("谨防电信诈骗。");
        assertThat(hub.audit.entries).filteredOn(e -> e.action().equals("announce")).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("system"));
        ScheduleService.View view = hub.schedules.view(hub.schedules.get(s.id(), admin));
        assertThat(view.lastRunAt()).isEqualTo("2026-12-03T01:00:05Z");
        assertThat(view.nextRunAt()).isEqualTo("2026-12-06T01:00:00Z");
    }

    @Test
    void an_occurrence_missed_by_more_than_15_minutes_is_skipped_and_the_next_one_runs() {
        Schedule s = hub.schedules.create(marketDays(), "admin");

        clock.set(township("2026-12-03T09:15:01"));
        hub.schedules.tick();
        assertThat(broadcasts()).isZero();
        clock.advance(Duration.ofMinutes(1));
        hub.schedules.tick();
        assertThat(broadcasts()).isZero();
        assertThat(hub.schedules.view(hub.schedules.get(s.id(), admin)).nextRunAt())
                .isEqualTo("2026-12-06T01:00:00Z");

        clock.set(township("2026-12-06T09:15:00"));
        hub.schedules.tick();
        assertThat(broadcasts()).isEqualTo(1);
    }

    @Test
    void a_hub_down_for_days_does_not_flood_old_occurrences_on_start() {
        hub.schedules.create(marketDays(), "admin");

        // down from the 3rd 08:30 to the 9th 09:10: the 3rd and 6th are gone, the 9th is 10 minutes late
        clock.set(township("2026-12-09T09:10:00"));
        hub.schedules.tick();
        hub.schedules.tick();
        assertThat(broadcasts()).isEqualTo(1);
    }

    @Test
    void days_of_the_week_and_days_of_the_month_both_count() {
        // Sundays (7) and the 9th, at 07:30
        hub.schedules.create(new Definition("早间广播", null, "test", 1, new Targets(List.of("tianxing-01"), null,
                null), List.of(7), List.of(9), "07:30", null), "disp");
        int runs = 0;
        for (LocalDate day = LocalDate.parse("2026-12-04"); day.isBefore(LocalDate.parse("2026-12-15"));
                day = day.plusDays(1)) {
            clock.set(day.atTime(LocalTime.parse("07:30:10")).atZone(Schedule.ZONE).toInstant());
            hub.schedules.tick();
            boolean expected = day.equals(LocalDate.parse("2026-12-06")) || day.equals(LocalDate.parse("2026-12-09"))
                    || day.equals(LocalDate.parse("2026-12-13"));
            if (expected) {
                runs++;
            }
            assertThat(broadcasts()).as("runs by %s", day).isEqualTo(runs);
        }
        assertThat(runs).isEqualTo(3);
        assertThat(hub.speakers.calls).allSatisfy(c -> assertThat(c.speech().clip()).isEqualTo("test"));
    }

    @Test
    void a_new_or_changed_schedule_never_runs_for_an_earlier_occurrence_and_a_disabled_one_never_runs() {
        clock.set(township("2026-12-03T09:05:00"));
        Schedule s = hub.schedules.create(marketDays(), "admin");
        hub.schedules.tick();
        assertThat(broadcasts()).isZero();

        clock.set(township("2026-12-06T09:00:30"));
        Definition off = new Definition("反诈预警", "谨防电信诈骗。", null, 1, new Targets(null, null, List.of("u-market")),
                List.of(), MARKET_DAYS, "09:00", false);
        hub.schedules.update(s.id(), off, "admin");
        hub.schedules.tick();
        assertThat(broadcasts()).isZero();
        assertThat(hub.schedules.view(hub.schedules.get(s.id(), admin)).nextRunAt()).isNull();

        // enabled again on the 9th at 08:00: runs at 09:00
        clock.set(township("2026-12-09T08:00:00"));
        hub.schedules.update(s.id(), marketDays(), "admin");
        clock.set(township("2026-12-09T09:00:01"));
        hub.schedules.tick();
        assertThat(broadcasts()).isEqualTo(1);
        assertThat(hub.audit.entries).extracting(e -> e.action()).containsExactly("announcement-schedule-create",
                "announcement-schedule-update", "announcement-schedule-update", "announce");
    }

    @Test
    void a_day_of_the_month_that_a_month_lacks_is_skipped() {
        Schedule s = new Schedule("as-1", "月末", "x", null, 1, new Targets(List.of("a"), null, null), List.of(),
                List.of(31), LocalTime.of(9, 0), true, T0, null, T0);
        assertThat(s.firstAfter(township("2027-01-31T10:00:00"))).contains(township("2027-03-31T09:00:00"));
        assertThat(s.latestAtOrBefore(township("2027-03-30T09:00:00"))).contains(township("2027-01-31T09:00:00"));
        Schedule never = new Schedule("as-2", "无", "x", null, 1, new Targets(List.of("a"), null, null), List.of(),
                List.of(), LocalTime.of(9, 0), true, T0, null, T0);
        assertThat(never.firstAfter(T0)).isEmpty();
    }

    @Test
    void invalid_schedules_are_refused_and_nothing_is_stored() {
        Definition good = marketDays();
        List<Definition> bad = List.of(
                new Definition(" ", good.text(), null, 1, good.targets(), List.of(), MARKET_DAYS, "09:00", true),
                new Definition("n", good.text(), null, 1, good.targets(), List.of(), List.of(), "09:00", true),
                new Definition("n", good.text(), null, 1, good.targets(), List.of(8), List.of(), "09:00", true),
                new Definition("n", good.text(), null, 1, good.targets(), List.of(), List.of(0), "09:00", true),
                new Definition("n", good.text(), null, 1, good.targets(), List.of(1), List.of(), "9:00", true),
                new Definition("n", good.text(), null, 1, good.targets(), List.of(1), List.of(), "24:00", true),
                new Definition("n", good.text(), null, 1, good.targets(), List.of(1), List.of(), null, true),
                new Definition("n", good.text(), "test", 1, good.targets(), List.of(1), List.of(), "09:00", true),
                new Definition("n", good.text(), null, 1, new Targets(null, null, null), List.of(1), List.of(), "09:00",
                        true));
        for (Definition d : bad) {
            assertThatThrownBy(() -> hub.schedules.create(d, "admin")).as(d.toString())
                    .isInstanceOf(AnnouncementException.Invalid.class);
        }
        assertThatThrownBy(() -> hub.schedules.create(new Definition("n", "x", null, 1,
                new Targets(null, List.of("atlantis"), null), List.of(1), List.of(), "09:00", true), "admin"))
                .isInstanceOf(AnnouncementException.UnknownTargets.class).hasMessageContaining("atlantis");
        assertThatThrownBy(() -> hub.schedules.update("as-none", good, "admin"))
                .isInstanceOf(AnnouncementException.ScheduleNotFound.class);
        assertThat(hub.count("announcement_schedule")).isZero();
        assertThat(hub.audit.entries).isEmpty();
    }

    @Test
    void the_demo_schedule_is_seeded_only_when_there_is_none() {
        Fixtures.Directory directory = new Fixtures.Directory();
        directory.boxes.add(new cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo("hs-market-01", "后山场镇集市",
                "houshan-market", "houshan", "后山社区", 30.75, 108.4, "hs-market"));
        directory.unitRows.add(new String[] { "hs-market", "houshan" });
        Fixtures.Hub demo = new Fixtures.Hub(database(), directory, hub.speakers, clock,
                Duration.ofSeconds(2));
        DemoAnnouncementSchedule seeder = new DemoAnnouncementSchedule(demo.schedules);
        seeder.seed();
        seeder.seed();
        List<Schedule> all = demo.schedules.all(admin);
        assertThat(all).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("反诈预警");
            assertThat(s.daysOfMonth()).isEqualTo(MARKET_DAYS);
            assertThat(s.daysOfWeek()).isEmpty();
            assertThat(s.time()).isEqualTo(LocalTime.of(9, 0));
            assertThat(s.enabled()).isTrue();
            assertThat(s.targets().units()).containsExactly("hs-market");
        });
        clock.set(township("2026-12-03T09:00:10"));
        demo.schedules.tick();
        assertThat(hub.speakers.endpoints()).containsExactly("hs-market-01");
    }

}
