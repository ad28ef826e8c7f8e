package cn.callbox.hub.rectification;

/**
 * Opens rectification tasks (检查→通报→整改→反馈: inspect, notify, rectify, feed back), for the parts of the hub that
 * find problems: readiness (kit missing, understaffed), supervision (self-test failed, box offline), locker events
 * (unplanned access) and the box's condition (enclosure opened, mains lost, battery low, clock
 * skewed). Thread-safe.
 */
public interface RectificationTasks {

    /** Why a task was opened; wire names as in {@code GET /api/rectifications}. */
    enum Reason {
        KIT_MISSING("kit-missing"), UNDERSTAFFED("understaffed"), SELF_TEST_FAILED("self-test-failed"),
        UNPLANNED_ACCESS("unplanned-access"), BOX_OFFLINE("box-offline"), TAMPER("tamper"), MAINS_LOST("mains-lost"),
        LOW_BATTERY("low-battery"), CLOCK_SKEW("clock-skew");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * Opens a task for the unit, assigned to its duty leader, with a deadline, and notifies (MQTT and REST), unless a
     * task for the same unit, reason and subject is still open: then the open one is returned and nothing is sent.
     *
     * @param subject what the problem is about, e.g. an item kind or a call-box endpoint; null when the reason says it
     * @param detail one line for people, zh-CN
     * @return the id of the open task
     */
    String open(String unitId, Reason reason, String subject, String detail);
}
