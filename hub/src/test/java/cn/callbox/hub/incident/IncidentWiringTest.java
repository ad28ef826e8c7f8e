package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.system.PeriodicTicker;
import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.readiness.DefaultReadinessService;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.DatabaseWatch;
import cn.callbox.hub.system.HubProperties;

/** The incident and readiness beans start from what the brief gives them, and run an alarm end to end. */
class IncidentWiringTest {

    @Test
    void incident_and_readiness_beans_start_and_take_an_alarm_and_stop_with_the_context() {
        DataSource db = Fakes.database();
        Fakes.Commands commands = new Fakes.Commands();
        Fakes.Publisher publisher = new Fakes.Publisher();
        PeriodicTicker ticker;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(HubProperties.class, () -> new HubProperties(Path.of("target/data"), "houshan", null,
                    null, null, null));
            context.registerBean(DataSource.class, () -> db);
            context.registerBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(db));
            context.registerBean(Clock.class, () -> new MutableClock(Instant.parse("2026-11-29T02:00:00Z")));
            context.registerBean(TownshipDirectory.class, IncidentServiceTest::township);
            context.registerBean(CallBoxPresence.class, () -> endpoint -> CallBoxPresence.Presence.UNKNOWN);
            context.registerBean(CallBoxCommands.class, () -> commands);
            context.registerBean(AlarmPublisher.class, () -> publisher);
            context.registerBean(AuditTrail.class, Fakes.Audit::new);
            context.registerBean(DatabaseWatch.class, () -> new DatabaseWatch(JdbcClient.create(db)));
            context.scan("cn.callbox.hub.incident", "cn.callbox.hub.readiness");
            context.refresh();

            assertThat(context.getBean(ReadinessService.class)).isInstanceOf(DefaultReadinessService.class);
            AlarmReceiver alarms = context.getBean(AlarmReceiver.class);
            assertThat(context.getBean(AckReceiver.class)).isSameAs(alarms);
            ticker = context.getBean("escalationTicker", PeriodicTicker.class);
            assertThat(ticker.isRunning()).isTrue();

            String id = alarms.receive(new AlarmRecord("box-a", 1, Instant.parse("2026-11-29T01:59:59Z")));

            // dispatch runs on the service's own executor: wait for it with a deadline, never a fixed sleep
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (publisher.alerts.size() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            // nobody is on duty and no locker was read: no unit is ready, so no extra unit can stand in for unit-a
            assertThat(publisher.alertedUnits()).containsExactly("unit-a", "unit-b", "unit-c");
            assertThat(publisher.incidents.get(id)).contains("\"callbox\":\"box-a\"");
        }
        assertThat(ticker.isRunning()).isFalse();
    }
}
