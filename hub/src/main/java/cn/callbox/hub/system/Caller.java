package cn.callbox.hub.system;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who makes a request: user name, console role and, for a unit leader, the one unit they may see and act for. Built
 * from the authorities {@link ConsoleUsers} grants ({@code ROLE_<role>} and {@code UNIT:<unit id>}).
 *
 * @param unitId the unit of a unit leader; null for every other role
 */
public record Caller(String username, ConsoleRole role, String unitId) {

    /** Prefix of the authority that names a unit leader's unit. */
    static final String UNIT_AUTHORITY_PREFIX = "UNIT:";

    /**
     * @throws IllegalStateException when the authentication carries no console role (never for a logged-in user)
     */
    public static Caller of(Authentication authentication) {
        ConsoleRole role = null;
        String unit = null;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name == null) {
                continue;
            }
            if (name.startsWith(UNIT_AUTHORITY_PREFIX)) {
                unit = name.substring(UNIT_AUTHORITY_PREFIX.length());
            }
            for (ConsoleRole r : ConsoleRole.values()) {
                if (r.authority().equals(name)) {
                    role = r;
                }
            }
        }
        if (role == null) {
            throw new IllegalStateException("user " + authentication.getName() + " has no console role");
        }
        return new Caller(authentication.getName(), role, role == ConsoleRole.UNIT_LEADER ? unit : null);
    }

    /** Township-wide roles see every unit; a unit leader only their own. */
    public boolean maySee(String unit) {
        return role != ConsoleRole.UNIT_LEADER || (unitId != null && unitId.equals(unit));
    }

    /** The unit the caller is confined to; empty for township-wide roles. */
    public Optional<String> confinedToUnit() {
        return role == ConsoleRole.UNIT_LEADER ? Optional.ofNullable(unitId) : Optional.empty();
    }
}
