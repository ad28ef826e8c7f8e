package cn.callbox.hub.registry;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.RegistryRuleException.Rule;

/**
 * Enrols, re-keys and retires call boxes (the provisioning command's side of the hub). Every change is checked first
 * and written in one transaction; a refused request writes nothing. After a key change or a retirement is committed,
 * the old key's registration and DTLS sessions are dropped ({@link CallBoxSessions}), so the old key stops working at
 * once. Endpoints and PSK identities are never given to a second box, not even after a retirement or a rotation.
 * Enrolments are serialised on the township row, so two installers naming the same new village get one village.
 * Thread-safe.
 */
class CallBoxEnrolment {

    /** Endpoints and PSK identities: a valid MQTT topic level of the strict kind the provisioning command makes. */
    static final Pattern DEVICE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final int MIN_KEY_BYTES = 16;
    static final int MAX_KEY_BYTES = 64;
    static final double MIN_LAT = 3;
    static final double MAX_LAT = 54;
    static final double MIN_LON = 73;
    static final double MAX_LON = 136;

    private static final Logger LOG = LoggerFactory.getLogger(CallBoxEnrolment.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final double EARTH_RADIUS_KM = 6371.0088;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final KeyEncryption encryption;
    private final String townshipId;
    private final CallBoxSessions sessions;
    private final Consumer<String> retired;

    /**
     * @param townshipId the hub's township ({@code callbox.township}): new villages belong to it
     * @param sessions ends the old key's sessions after a rotation or retirement
     * @param retired told the endpoint of a box just retired, after the commit (publishes it offline); must not throw
     */
    CallBoxEnrolment(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, KeyEncryption encryption,
            String townshipId, CallBoxSessions sessions, Consumer<String> retired) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.encryption = encryption;
        this.townshipId = townshipId;
        this.sessions = sessions;
        this.retired = retired;
    }

    /**
     * What an installer asks for.
     *
     * @param village a village id or zh-CN name; an unknown one is created
     * @param point a point of that village by id or name; an unknown one is created at lat/lon
     * @param unit null: the point's unit, else the village's only unit, else the nearest unit
     * @param pskKey hex, 16 to 64 bytes
     */
    record Enrolment(String endpoint, String village, String point, Double lat, Double lon, String unit,
            String pskIdentity, String pskKey) {

        /** Without the key. */
        @Override
        public String toString() {
            return "Enrolment[endpoint=" + endpoint + ", village=" + village + ", point=" + point + ", lat=" + lat
                    + ", lon=" + lon + ", unit=" + unit + ", pskIdentity=" + pskIdentity + ", pskKey=(hidden)]";
        }
    }

    /** The enrolled box: where it stands and which unit answers its alarms. */
    record Enrolled(String endpoint, String village, String villageId, String point, String pointId, String unit,
            double lat, double lon, boolean villageCreated, boolean pointCreated) {
    }

    private record Place(String id, String name) {
    }

    private record PointRow(String id, String name, String unitId) {
    }

    private record UnitRow(String id, String villageId, double lat, double lon) {
    }

    /**
     * Enrols a new box; it may register at once.
     *
     * @throws RegistryRuleException for a missing or invalid field, an unknown unit, a unit that is not the point's,
     *         or no unit at all in the township
     * @throws CallBoxTakenException when the endpoint or the identity is or was used by a box
     */
    Enrolled enrol(Enrolment request) {
        String subject = "call box " + request.endpoint();
        deviceId(subject, "endpoint", request.endpoint());
        deviceId(subject, "pskIdentity", request.pskIdentity());
        byte[] key = pskKey(subject, request.pskKey());
        required(subject, "village", request.village());
        required(subject, "point", request.point());
        coordinates(subject, request.lat(), request.lon());
        RegistryRules.name(subject + ", village", request.village());
        RegistryRules.name(subject + ", point", request.point());
        double lat = request.lat();
        double lon = request.lon();
        Enrolled enrolled;
        try {
            enrolled = transactions.execute(status -> {
                String township = lockTownship();
                checkFree(request.endpoint(), request.pskIdentity());
                Optional<Place> village = village(request.village().strip());
                Optional<PointRow> point = village.flatMap(v -> point(v.id(), request.point().strip()));
                String unit = unitFor(subject, request.unit(), village, point, lat, lon);
                boolean villageCreated = village.isEmpty();
                Place v = village.orElseGet(() -> createVillage(township, request.village().strip()));
                boolean pointCreated = point.isEmpty();
                PointRow p = point.orElseGet(() -> createPoint(v.id(), request.point().strip(), lat, lon, unit));
                jdbc.sql("INSERT INTO callbox (endpoint, point_id, lat, lon, psk_identity, psk_key, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .params(request.endpoint(), p.id(), lat, lon, request.pskIdentity(),
                                encryption.seal(request.endpoint(), key), now())
                        .update();
                return new Enrolled(request.endpoint(), v.name(), v.id(), p.name(), p.id(), p.unitId(), lat, lon,
                        villageCreated, pointCreated);
            });
        } catch (DuplicateKeyException e) {
            throw new CallBoxTakenException("Call box '" + request.endpoint() + "' or PSK identity '"
                    + request.pskIdentity() + "' was enrolled at the same moment.");
        }
        LOG.info("Call box {} enrolled at point {} ({}) of village {} ({}), unit {}", enrolled.endpoint(),
                enrolled.pointId(), enrolled.point(), enrolled.villageId(), enrolled.village(), enrolled.unit());
        return enrolled;
    }

    /**
     * Gives a box a new identity and key; the old key stops working at once.
     *
     * @param pskIdentity the new identity; the box's current one keeps it
     * @throws NoSuchCallBoxException for an unknown or retired box
     * @throws CallBoxTakenException when the new identity is or was another's (or an old one of this box)
     */
    void rotateKey(String endpoint, String pskIdentity, String pskKey) {
        String subject = "call box " + endpoint;
        deviceId(subject, "pskIdentity", pskIdentity);
        byte[] key = pskKey(subject, pskKey);
        String old;
        try {
            old = transactions.execute(status -> {
                String current = jdbc.sql("SELECT psk_identity FROM callbox WHERE endpoint = ? AND retired_at IS NULL"
                        + " FOR UPDATE").param(endpoint).query(String.class).optional()
                        .orElseThrow(() -> new NoSuchCallBoxException(endpoint));
                if (!current.equals(pskIdentity)) {
                    checkIdentityFree(pskIdentity);
                    jdbc.sql("INSERT INTO callbox_old_identity (psk_identity, endpoint, replaced_at) VALUES (?, ?, ?)")
                            .params(current, endpoint, now()).update();
                }
                jdbc.sql("UPDATE callbox SET psk_identity = ?, psk_key = ? WHERE endpoint = ?")
                        .params(pskIdentity, encryption.seal(endpoint, key), endpoint).update();
                return current;
            });
        } catch (DuplicateKeyException e) {
            throw new CallBoxTakenException("PSK identity '" + pskIdentity + "' was taken at the same moment.");
        }
        LOG.info("Call box {} has a new key (identity {}, was {}); ending the old key's sessions", endpoint,
                pskIdentity, old);
        sessions.drop(endpoint, old);
    }

    /**
     * Retires a box: kept for history, gone from the registry's reads, its key refused at once.
     *
     * @throws NoSuchCallBoxException for an unknown or already retired box
     */
    void retire(String endpoint) {
        String identity = transactions.execute(status -> {
            String current = jdbc.sql("SELECT psk_identity FROM callbox WHERE endpoint = ? AND retired_at IS NULL"
                    + " FOR UPDATE").param(endpoint).query(String.class).optional()
                    .orElseThrow(() -> new NoSuchCallBoxException(endpoint));
            jdbc.sql("UPDATE callbox SET retired_at = ? WHERE endpoint = ?").params(now(), endpoint).update();
            return current;
        });
        LOG.info("Call box {} retired; ending its sessions", endpoint);
        sessions.drop(endpoint, identity);
        try {
            retired.accept(endpoint);
        } catch (RuntimeException e) {
            LOG.warn("Could not publish retired call box {} as offline: {}", endpoint, e.toString());
        }
    }

    // ------------------------------------------------------------------ where the box goes

    /** Locks the township row (serialises enrolments); creates it when the registry has none yet. */
    private String lockTownship() {
        Optional<String> own = jdbc.sql("SELECT id FROM township WHERE id = ? FOR UPDATE").param(townshipId)
                .query(String.class).optional();
        if (own.isPresent()) {
            return own.get();
        }
        List<String> all = jdbc.sql("SELECT id FROM township").query(String.class).list();
        if (all.size() == 1) {
            return jdbc.sql("SELECT id FROM township WHERE id = ? FOR UPDATE").param(all.get(0)).query(String.class)
                    .single();
        }
        jdbc.sql("INSERT INTO township (id, name, district) VALUES (?, ?, ?)").params(townshipId, townshipId, "-")
                .update();
        LOG.info("Township {} created for the first enrolment", townshipId);
        return townshipId;
    }

    private Optional<Place> village(String idOrName) {
        List<Place> found = jdbc.sql("SELECT id, name FROM village WHERE id = ? OR name = ?")
                .params(idOrName, idOrName).query((rs, n) -> new Place(rs.getString(1), rs.getString(2))).list();
        return found.stream().min(Comparator.comparing((Place p) -> !p.id().equals(idOrName))
                .thenComparing(Place::id));
    }

    private Optional<PointRow> point(String villageId, String idOrName) {
        List<PointRow> found = jdbc.sql("SELECT id, name, unit_id FROM point WHERE village_id = ? AND (id = ? OR name = ?)")
                .params(villageId, idOrName, idOrName)
                .query((rs, n) -> new PointRow(rs.getString(1), rs.getString(2), rs.getString(3))).list();
        return found.stream().min(Comparator.comparing((PointRow p) -> !p.id().equals(idOrName))
                .thenComparing(PointRow::id));
    }

    /** The given unit, else the point's, else the village's only one, else the nearest (就近). */
    private String unitFor(String subject, String given, Optional<Place> village, Optional<PointRow> point, double lat,
            double lon) {
        if (given != null && !given.isBlank()) {
            if (!exists("SELECT COUNT(*) FROM unit WHERE id = ?", given)) {
                throw new RegistryRuleException(Rule.KNOWN_REFERENCE, subject, "no unit '" + given + "'");
            }
            if (point.isPresent() && !point.get().unitId().equals(given)) {
                throw new RegistryRuleException(Rule.POINT_UNIT, subject, "point " + point.get().id()
                        + " is the responsibility of unit " + point.get().unitId() + ", not " + given);
            }
            return given;
        }
        if (point.isPresent()) {
            return point.get().unitId();
        }
        List<UnitRow> units = jdbc.sql("SELECT id, village_id, lat, lon FROM unit")
                .query((rs, n) -> new UnitRow(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4)))
                .list();
        if (village.isPresent()) {
            List<UnitRow> own = units.stream().filter(u -> u.villageId().equals(village.get().id())).toList();
            if (own.size() == 1) {
                return own.get(0).id();
            }
        }
        return units.stream()
                .min(Comparator.comparingDouble((UnitRow u) -> distanceKm(lat, lon, u.lat(), u.lon()))
                        .thenComparing(UnitRow::id))
                .map(UnitRow::id)
                .orElseThrow(() -> new RegistryRuleException(Rule.NO_UNIT, subject, "the township has no unit"));
    }

    private Place createVillage(String township, String name) {
        String id = freeId("v-", "village");
        jdbc.sql("INSERT INTO village (id, township_id, name) VALUES (?, ?, ?)").params(id, township, name).update();
        LOG.info("Village {} ({}) created by an enrolment", id, name);
        return new Place(id, name);
    }

    private PointRow createPoint(String villageId, String name, double lat, double lon, String unitId) {
        String id = freeId("p-", "point");
        String kind = name.contains("集") || name.contains("市") ? "market" : "other";
        jdbc.sql("INSERT INTO point (id, village_id, kind, name, lat, lon, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(id, villageId, kind, name, lat, lon, unitId).update();
        LOG.info("Point {} ({}, {}) created in village {} for unit {}", id, name, kind, villageId, unitId);
        return new PointRow(id, name, unitId);
    }

    /** A new id: the prefix and 8 random base32 letters and digits (lower case), not used in {@code table}. */
    private String freeId(String prefix, String table) {
        while (true) {
            StringBuilder id = new StringBuilder(prefix);
            for (int i = 0; i < 8; i++) {
                id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
            }
            if (!exists("SELECT COUNT(*) FROM " + table + " WHERE id = ?", id.toString())) {
                return id.toString();
            }
        }
    }

    // ------------------------------------------------------------------ checks

    private void checkFree(String endpoint, String pskIdentity) {
        if (exists("SELECT COUNT(*) FROM callbox WHERE endpoint = ?", endpoint)) {
            throw new CallBoxTakenException("The endpoint '" + endpoint + "' is (or was) used by a call box.");
        }
        checkIdentityFree(pskIdentity);
    }

    private void checkIdentityFree(String pskIdentity) {
        if (exists("SELECT COUNT(*) FROM callbox WHERE psk_identity = ?", pskIdentity)
                || exists("SELECT COUNT(*) FROM callbox_old_identity WHERE psk_identity = ?", pskIdentity)) {
            throw new CallBoxTakenException("The PSK identity '" + pskIdentity + "' is (or was) used by a call box.");
        }
    }

    static void deviceId(String subject, String field, String value) {
        required(subject, field, value);
        if (!DEVICE_ID.matcher(value).matches()) {
            throw new RegistryRuleException(Rule.DEVICE_ID, subject, field + " '" + value + "' is not one");
        }
    }

    /** The key's bytes from hex; the key itself never goes into a message. */
    static byte[] pskKey(String subject, String hex) {
        required(subject, "pskKey", hex);
        String digits = hex.strip().toLowerCase(Locale.ROOT);
        if (digits.length() % 2 != 0 || !digits.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new RegistryRuleException(Rule.PSK_KEY_HEX, subject, "pskKey is not hex");
        }
        int bytes = digits.length() / 2;
        if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
            throw new RegistryRuleException(Rule.PSK_KEY_HEX, subject, "pskKey has " + bytes + " bytes");
        }
        return HexFormat.of().parseHex(digits);
    }

    static void coordinates(String subject, Double lat, Double lon) {
        if (lat == null || lon == null) {
            throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, "lat and lon are required");
        }
        if (!(lat >= MIN_LAT && lat <= MAX_LAT && lon >= MIN_LON && lon <= MAX_LON)) {
            throw new RegistryRuleException(Rule.CHINA_COORDINATES, subject, "got " + lat + ", " + lon);
        }
    }

    static void required(String subject, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, field + " is missing");
        }
    }

    private boolean exists(String sql, Object id) {
        Long count = jdbc.sql(sql).param(id).query(Long.class).single();
        return count != null && count > 0;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The endpoint or PSK identity is, or was, another box's (409). */
    static final class CallBoxTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallBoxTakenException(String message) {
            super(message);
        }
    }

    /** No call box with this endpoint, or it is retired (404). */
    static final class NoSuchCallBoxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchCallBoxException(String endpoint) {
            super("No call box '" + endpoint + "' (or it is retired).");
        }
    }
}
