package cn.callbox.hub.rectification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import cn.callbox.hub.device.ClockOffset;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.rectification.RectificationTasks.Reason;
import cn.callbox.hub.testing.MutableClock;

/**
 * A box whose clock is further from the hub's than the press-time bound warns once and opens a {@code clock-skew} task;
 * back within bounds it logs so and rectifies the task.
 */
class ClockSkewWatchTest {

    static final Duration BOUND = Duration.ofMinutes(2);

    final MutableClock clock = new MutableClock(RectificationServiceTest.T0);
    final RectificationServiceTest.Published published = new RectificationServiceTest.Published();
    final RectificationService service = RectificationServiceTest.service(clock, published);
    /** Runs the work on the caller's thread, in order. */
    final ClockSkewWatch watch = new ClockSkewWatch(service, new BoxOfflineRectifierTest.Boxes(), BOUND,
            Runnable::run);
    /** The real presence, telling the watch of measurements as in the hub. */
    final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence((endpoint, status) -> {
    }, (endpoint, door, items) -> {
    }, (endpoint, p) -> {
    }, (endpoint, before, after) -> {
    }, watch);
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(ClockSkewWatch.class)).addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(ClockSkewWatch.class)).detachAppender(log);
    }

    /** A measurement with the box {@code seconds} ahead (negative: behind), over a 200 ms round trip. */
    private void measured(long seconds) {
        Instant sent = clock.instant();
        presence.clockOffset("box-1", ClockOffset.measure(sent.plusSeconds(seconds), sent, sent.plusMillis(200)));
        clock.advance(Duration.ofMinutes(5));
    }

    private List<String> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void a_skewed_clock_warns_once_opens_one_task_and_a_clock_put_right_rectifies_it() {
        measured(3);
        assertThat(service.all()).isEmpty();

        measured(-3600);
        measured(-3601);
        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.reason().wireName()).isEqualTo("clock-skew");
            assertThat(t.unitId()).isEqualTo("unit-a");
            assertThat(t.subject()).isEqualTo("box-1");
            assertThat(t.detail()).contains("box-1").contains("时钟偏差").contains("慢 3600 秒");
            assertThat(t.dueAt()).isEqualTo(t.openedAt().plus(Duration.ofHours(24)));
        });
        assertThat(lines(Level.WARN)).singleElement().satisfies(line -> assertThat(line).contains("box-1")
                .contains("-3600 s"));

        measured(0);
        assertThat(service.all()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(RectificationState.RECTIFIED));
        assertThat(lines(Level.INFO)).singleElement().satisfies(line -> assertThat(line).contains("box-1")
                .contains("back within 120 s"));
    }

    @Test
    void a_clock_within_the_bound_is_not_skewed() {
        measured(119);
        measured(-120); // -119.6 s: the box's second is taken at its middle
        assertThat(service.all()).isEmpty();
        assertThat(lines(Level.WARN)).isEmpty();
    }
}
