package cn.callbox.hub.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ClockOffsetTest {

    private static final Instant SENT = Instant.parse("2026-11-29T08:00:00.000Z");

    @Test
    void offset_is_the_box_time_against_the_middle_of_the_round_trip_and_the_middle_of_the_reported_second() {
        // sent at :00.000, answered at :00.400: the box read its clock around :00.200 (hub time); it said 08:10:00,
        // which is any instant of that second, so 08:10:00.500 is the best guess
        ClockOffset offset = ClockOffset.measure(Instant.parse("2026-11-29T08:10:00Z"), SENT,
                SENT.plusMillis(400));

        assertThat(offset.offset()).isEqualTo(Duration.ofMinutes(10).plusMillis(300));
        assertThat(offset.seconds()).isEqualTo(600);
        assertThat(offset.uncertainty()).isEqualTo(Duration.ofMillis(700));
        assertThat(offset.measuredAt()).isEqualTo(SENT.plusMillis(400));
    }

    @Test
    void a_box_behind_the_hub_has_a_negative_offset() {
        ClockOffset offset = ClockOffset.measure(Instant.parse("2026-11-29T07:57:00Z"), SENT, SENT.plusMillis(1000));

        assertThat(offset.seconds()).isEqualTo(-180);
        assertThat(offset.offset()).isEqualTo(Duration.ofSeconds(-180));
    }

    @Test
    void a_box_in_sync_shows_zero_seconds_within_the_resolution() {
        // the box read 08:00:00.300 and cut it to 08:00:00; the round trip took 600 ms
        ClockOffset offset = ClockOffset.measure(Instant.parse("2026-11-29T08:00:00Z"), SENT, SENT.plusMillis(600));

        assertThat(offset.seconds()).isZero();
        assertThat(offset.offset().abs()).isLessThanOrEqualTo(offset.uncertainty());
        assertThat(offset.beyond(Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void skewed_means_further_than_the_bound_ahead_or_behind() {
        Duration bound = Duration.ofMinutes(2);
        Instant received = SENT.plusMillis(1000);

        assertThat(ClockOffset.measure(SENT.plusSeconds(121), SENT, received).beyond(bound)).isTrue();
        assertThat(ClockOffset.measure(SENT.minusSeconds(122), SENT, received).beyond(bound)).isTrue();
        assertThat(ClockOffset.measure(SENT.plusSeconds(119), SENT, received).beyond(bound)).isFalse();
        assertThat(ClockOffset.measure(SENT.minusSeconds(119), SENT, received).beyond(bound)).isFalse();
    }

    @Test
    void a_hub_clock_that_stepped_back_during_the_read_measures_nothing() {
        assertThatThrownBy(() -> ClockOffset.measure(SENT, SENT, SENT.minusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepped back");
    }
}
