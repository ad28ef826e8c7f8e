package cn.callbox.hub.registry;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link CallBoxKeys} over the {@code callbox} table: keys sealed by {@link KeyEncryption} (plain hex keys of older
 * databases are still read, and sealed by {@link #sealPlainKeys()} at start). Retired boxes have no key. Reads the
 * database on every call, so an enrolled, rotated or retired box counts at once.
 */
class JdbcCallBoxKeys implements CallBoxKeys {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCallBoxKeys.class);
    private static final String SELECT = "SELECT endpoint, psk_identity, psk_key FROM callbox WHERE retired_at IS NULL";

    private final JdbcClient jdbc;
    private final KeyEncryption encryption;
    private final RowMapper<CallBoxKey> mapper;

    JdbcCallBoxKeys(JdbcClient jdbc, KeyEncryption encryption) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.mapper = (rs, n) -> new CallBoxKey(rs.getString("endpoint"), rs.getString("psk_identity"),
                encryption.open(rs.getString("endpoint"), rs.getString("psk_key")));
    }

    @Override
    public Optional<CallBoxKey> byEndpoint(String endpoint) {
        return jdbc.sql(SELECT + " AND endpoint = ?").param(endpoint).query(mapper).optional();
    }

    @Override
    public Optional<CallBoxKey> byPskIdentity(String pskIdentity) {
        return jdbc.sql(SELECT + " AND psk_identity = ?").param(pskIdentity).query(mapper).optional();
    }

    /** Every key of a box that is not retired. */
    List<CallBoxKey> all() {
        return jdbc.sql(SELECT).query(mapper).list();
    }

    /** True when some row (retired ones included) holds a sealed key: a new key-encryption key would lose it. */
    static boolean anySealed(JdbcClient jdbc) {
        Long count = jdbc.sql("SELECT COUNT(*) FROM callbox WHERE psk_key LIKE ?").param(KeyEncryption.PREFIX + "%")
                .query(Long.class).single();
        return count != null && count > 0;
    }

    /**
     * At start: checks that every sealed key opens (else the hub must not start), then seals the plain hex keys of
     * rows from before encryption (the demo's, older databases'). Retired rows too: their keys are secrets as well.
     *
     * @return how many plain keys were sealed now
     * @throws KeyEncryption.WrongKeyException when a sealed key does not open with the key-encryption key in use
     */
    int sealPlainKeys() {
        record Row(String endpoint, String key) {
        }
        List<Row> rows = jdbc.sql("SELECT endpoint, psk_key FROM callbox")
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2))).list();
        int sealed = 0;
        for (Row row : rows) {
            if (KeyEncryption.isSealed(row.key())) {
                encryption.open(row.endpoint(), row.key());
                continue;
            }
            byte[] plain = encryption.open(row.endpoint(), row.key());
            // only if still plain: another hub on the same database may have sealed it meanwhile
            sealed += jdbc.sql("UPDATE callbox SET psk_key = ? WHERE endpoint = ? AND psk_key = ?")
                    .params(encryption.seal(row.endpoint(), plain), row.endpoint(), row.key()).update();
        }
        if (sealed > 0) {
            LOG.info("Encrypted the stored keys of {} call boxes (AES-256-GCM)", sealed);
        }
        return sealed;
    }
}
