package cn.callbox.hub.training;

import java.util.Optional;

/** The two kinds of training the township plan asks for every quarter (§7.1). */
enum TrainingKind {
    /** WeChat service account, app, mini-program. */
    ONLINE("online"),
    /** Spot checks, exercises, drills on the ground. */
    OFFLINE("offline");

    private final String wireName;

    TrainingKind(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<TrainingKind> of(String wireName) {
        for (TrainingKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
