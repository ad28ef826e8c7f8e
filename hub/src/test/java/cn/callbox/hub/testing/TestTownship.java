package cn.callbox.hub.testing;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registry rows inserted straight into the {@code township}, {@code village} and {@code unit} tables, without the
 * registry's rules, for tests that need the foreign keys of users, incidents or schedules to resolve.
 */
public final class TestTownship {

    private final JdbcClient jdbc;

    public TestTownship(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether no township is stored yet (tests that share one database seed it once). */
    public boolean isEmpty() {
        return jdbc.sql("SELECT COUNT(*) FROM township").query(Long.class).single() == 0;
    }

    public TestTownship township(String id, String name, String district) {
        jdbc.sql("INSERT INTO township (id, name, district) VALUES (?, ?, ?)").params(id, name, district).update();
        return this;
    }

    public TestTownship village(String id, String townshipId, String name) {
        jdbc.sql("INSERT INTO village (id, township_id, name) VALUES (?, ?, ?)").params(id, townshipId, name).update();
        return this;
    }

    /** A unit at {@code lat}, {@code lon} (degrees, WGS 84). */
    public TestTownship unit(String id, String villageId, String name, double lat, double lon) {
        jdbc.sql("INSERT INTO unit (id, village_id, name, lat, lon) VALUES (?, ?, ?, ?, ?)")
                .params(id, villageId, name, lat, lon).update();
        return this;
    }

    /** Units of the village all at one place, each named by its id. */
    public TestTownship units(String villageId, double lat, double lon, List<String> ids) {
        ids.forEach(id -> unit(id, villageId, id, lat, lon));
        return this;
    }
}
