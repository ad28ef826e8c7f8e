package cn.callbox.hub.system;

import java.util.Arrays;
import java.util.Optional;

/** Roles of console and API users (ARCHITECTURE.md, security), as stored in {@code users.role}. */
public enum ConsoleRole {
    /** Township staff: everything. */
    ADMIN("admin"),
    /** Command centre. */
    DISPATCHER("dispatcher"),
    /** Police station. */
    POLICE("police"),
    /** A unit's leader: own unit only. */
    UNIT_LEADER("unit-leader");

    private final String dbName;

    ConsoleRole(String dbName) {
        this.dbName = dbName;
    }

    /** The name stored in the database. */
    public String dbName() {
        return dbName;
    }

    /** The Spring Security authority, {@code ROLE_} + the enum name (for {@code hasRole("UNIT_LEADER")}). */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role stored as {@code dbName}; empty for anything else. */
    public static Optional<ConsoleRole> ofDbName(String dbName) {
        return Arrays.stream(values()).filter(r -> r.dbName.equals(dbName)).findFirst();
    }
}
