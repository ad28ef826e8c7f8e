package cn.callbox.hub.registry;

/**
 * A registry write broke a rule; nothing was written. The message names the rule and what broke it, e.g.
 * {@code unit hs-x: a unit has at least 5 members (DOMAIN.md §4.2); it has 4}.
 */
public final class RegistryRuleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The rules of the registry. */
    public enum Rule {
        VALID_ID("ids are valid MQTT topic levels: letters, digits, '.', '_', '-', at most 64"),
        UNIQUE_ID("ids are unique"),
        KNOWN_REFERENCE("references name existing records"),
        REQUIRED_FIELD("required fields are set"),
        TEXT_LENGTH("names have at most 100 characters"),
        COORDINATES("coordinates are WGS-84 degrees"),
        PSK_KEY("a call box's pre-shared key has at least 16 bytes"),
        MIN_MEMBERS("a unit has at least 5 members (DOMAIN.md §4.2)"),
        RESIDENT_MEMBERS("every member actually lives in the village (DOMAIN.md §4.2)"),
        ONE_DUTY_LEADER("a duty day has exactly one duty leader (DOMAIN.md §4.2)"),
        MIN_ON_DUTY("a duty day has at least 3 members on duty, the leader included (DOMAIN.md §4.2)"),
        DUTY_OWN_MEMBERS("members on duty belong to the unit"),
        ON_DUTY_RESIDENT("members on duty actually live in the village (DOMAIN.md §4.2)"),
        MIN_RESIDENT_MEMBERS("a unit keeps at least 5 members who actually live in the village (DOMAIN.md §4.2)"),
        WEEK_COMPLETE("a weekly duty pattern plans each of the seven days exactly once"),
        PAST_DAY("the duty of days gone by is not changed"),
        SWAP_FROM_ON_DUTY("a swap hands over the duty of a member who is on duty that day"),
        SWAP_TO_OFF_DUTY("a swap hands the duty to a member who is not on duty that day"),
        SWAP_NOT_ON_OVERRIDE("a day with a one-day override is changed through the override, not by a swap"),
        DEVICE_ID("endpoints and PSK identities are lower-case letters, digits and '-', start with a letter or digit"
                + " and have at most 64 characters"),
        PSK_KEY_HEX("a call box's pre-shared key is 16 to 64 bytes, written in hex"),
        CHINA_COORDINATES("coordinates lie in China (latitude 3 to 54, longitude 73 to 136)"),
        NO_UNIT("a call box at a new point needs a unit of the township to answer for it"),
        POINT_UNIT("a call box's unit is the unit responsible for its point"),
        VALID_VALUE("enumerated fields take one of their values");

        private final String text;

        Rule(String text) {
            this.text = text;
        }

        /** The rule in words. */
        public String text() {
            return text;
        }

        /** The rule's name in problem details ({@code rule} member), e.g. {@code min-on-duty}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Rule rule;
    private final String subject;

    /**
     * @param subject what broke the rule, e.g. {@code unit hs-x}
     * @param detail what was found
     */
    public RegistryRuleException(Rule rule, String subject, String detail) {
        super(subject + ": " + rule.text() + "; " + detail);
        this.rule = rule;
        this.subject = subject;
    }

    public Rule rule() {
        return rule;
    }

    /** What broke the rule, e.g. {@code unit hs-x} or {@code duty of unit hs-x on 2024-07-30}. */
    public String subject() {
        return subject;
    }
}
