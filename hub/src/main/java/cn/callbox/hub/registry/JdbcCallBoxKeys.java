package cn.callbox.hub.registry;

import java.util.HexFormat;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link CallBoxKeys} over the {@code callbox} table (keys stored in hex). Reads the database on every call. */
class JdbcCallBoxKeys implements CallBoxKeys {

    private static final RowMapper<CallBoxKey> KEY = (rs, n) -> new CallBoxKey(rs.getString("endpoint"),
            rs.getString("psk_identity"), HexFormat.of().parseHex(rs.getString("psk_key")));

    private final JdbcClient jdbc;

    JdbcCallBoxKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<CallBoxKey> byEndpoint(String endpoint) {
        return jdbc.sql("SELECT endpoint, psk_identity, psk_key FROM callbox WHERE endpoint = ?").param(endpoint)
                .query(KEY).optional();
    }

    @Override
    public Optional<CallBoxKey> byPskIdentity(String pskIdentity) {
        return jdbc.sql("SELECT endpoint, psk_identity, psk_key FROM callbox WHERE psk_identity = ?")
                .param(pskIdentity).query(KEY).optional();
    }
}
