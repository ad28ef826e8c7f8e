package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import cn.callbox.hub.system.DatabaseWatch;
import cn.callbox.hub.testing.EmptyTownshipDirectory;

/**
 * The registry the alarm path reads while the database is down: the last known answers, at once, without waiting for
 * a database that does not answer; fresh answers again when it is back.
 */
class LastKnownRegistryTest {

    static final LocalDate TODAY = LocalDate.parse("2026-12-08");

    /** A township of one box and one unit whose database can be switched off; counts the calls that reach it. */
    static final class Database extends EmptyTownshipDirectory implements CallBoxKeys {
        volatile boolean down;
        final AtomicInteger calls = new AtomicInteger();
        volatile String place = "集市";
        volatile List<CallBoxKey> keys = List.of(new CallBoxKey("box-a", "id-a", new byte[16]));

        private void check() {
            calls.incrementAndGet();
            if (down) {
                throw new CannotGetJdbcConnectionException("database down (test)");
            }
        }

        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            check();
            return endpoint.equals("box-a")
                    ? Optional.of(new CallBoxInfo("box-a", place, "p1", "v1", "村", 30.8, 108.4, "unit-a"))
                    : Optional.empty();
        }

        @Override
        public List<CallBoxInfo> callBoxes() {
            check();
            return List.of(callBox("box-a").orElseThrow());
        }

        @Override
        public List<UnitInfo> units() {
            check();
            return List.of(new UnitInfo("unit-a", "后山单元", "v1", "村", 30.8, 108.4, List.of("box-a")));
        }

        @Override
        public List<MemberInfo> members(String unitId) {
            check();
            return List.of(new MemberInfo("m1", unitId, "张三", "leader", true));
        }

        @Override
        public Optional<CallBoxKey> byEndpoint(String endpoint) {
            check();
            return keys.stream().filter(k -> k.endpoint().equals(endpoint)).findFirst();
        }

        @Override
        public Optional<CallBoxKey> byPskIdentity(String identity) {
            check();
            return keys.stream().filter(k -> k.pskIdentity().equals(identity)).findFirst();
        }
    }

    final Database db = new Database();
    /** No probe runs in these tests: failed calls take the database down, {@link #back()} brings it back. */
    final DatabaseWatch watch = new DatabaseWatch(null);
    final LastKnownTownshipDirectory directory = new LastKnownTownshipDirectory(db, watch, () -> TODAY);
    final LastKnownCallBoxKeys keys = new LastKnownCallBoxKeys(db, () -> {
        db.check();
        return db.keys;
    }, watch);

    void back() {
        db.down = false;
        watch.answered();
    }

    @Test
    void while_the_database_is_down_the_alarm_path_gets_what_was_loaded_before_and_waits_for_nothing() {
        directory.reload();
        keys.reload();

        db.down = true;
        assertThat(directory.callBox("box-a")).get().extracting(TownshipDirectory.CallBoxInfo::place)
                .isEqualTo("集市"); // one call fails and marks the database down
        int calls = db.calls.get();

        assertThat(directory.members("unit-a")).extracting(TownshipDirectory.MemberInfo::id).containsExactly("m1");
        assertThat(directory.units()).hasSize(1);
        assertThat(keys.byPskIdentity("id-a")).get().extracting(CallBoxKey::endpoint).isEqualTo("box-a");
        assertThat(keys.byEndpoint("box-a")).isPresent();
        assertThat(db.calls.get()).as("nothing asked of a database known to be down").isEqualTo(calls);
        assertThatThrownBy(() -> directory.callBox("box-new")).isInstanceOf(DataAccessException.class);
    }

    @Test
    void when_the_database_is_back_answers_are_fresh_again_and_retired_keys_are_forgotten() {
        directory.reload();
        keys.reload();
        db.down = true;
        directory.callBox("box-a");

        back();
        db.place = "新集市";
        db.keys = List.of();

        assertThat(directory.callBox("box-a")).get().extracting(TownshipDirectory.CallBoxInfo::place)
                .isEqualTo("新集市");
        assertThat(keys.byPskIdentity("id-a")).isEmpty();
        db.down = true;
        assertThatThrownBy(() -> keys.byPskIdentity("id-a")).isInstanceOf(DataAccessException.class);
    }

    @Test
    void a_refusal_of_the_data_is_no_outage_and_is_passed_on() {
        TownshipDirectory refusing = new EmptyTownshipDirectory() {
            @Override
            public List<UnitInfo> units() {
                throw new DataIntegrityViolationException("bad row");
            }
        };
        LastKnownTownshipDirectory last = new LastKnownTownshipDirectory(refusing, watch, () -> TODAY);

        assertThatThrownBy(last::units).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(watch.answering()).isTrue();
    }
}
