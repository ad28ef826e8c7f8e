package cn.callbox.hub.training;

/** A training or commendation broke a rule; nothing was written. Answered as 422 naming the rule. */
final class TrainingRuleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The rules, by their names in problem details ({@code rule}). */
    enum Rule {
        KIND("kind", "the kind is online or offline"),
        DATE("date", "the date is an ISO-8601 date (yyyy-MM-dd) no later than today"),
        TOPIC("topic", "a topic is given, at most 200 characters"),
        ATTENDEES("attendees", "at least one attendee, each listed once"),
        ATTENDEE_MEMBER("attendee-member", "attendees are members of the unit"),
        KNOWN_MEMBER("known-member", "the member exists"),
        REASON("reason", "a reason is given, at most 500 characters"),
        KNOWN_INCIDENT("known-incident", "the incident exists");

        private final String wireName;
        private final String text;

        Rule(String wireName, String text) {
            this.wireName = wireName;
            this.text = text;
        }

        String wireName() {
            return wireName;
        }

        String text() {
            return text;
        }
    }

    private final transient Rule rule;

    TrainingRuleException(Rule rule, String detail) {
        super(rule.text() + "; " + detail);
        this.rule = rule;
    }

    Rule rule() {
        return rule;
    }
}
