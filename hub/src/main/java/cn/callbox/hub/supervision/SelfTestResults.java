package cn.callbox.hub.supervision;

import java.time.Instant;
import java.util.List;

/** Stored self-test results. Thread-safe. */
interface SelfTestResults {

    void add(SelfTestResult result);

    /** The box's results, newest first, at most {@code limit}. */
    List<SelfTestResult> of(String endpoint, int limit);

    /**
     * One self-test run, as {@code GET /api/callboxes/{endpoint}/self-tests} shows it.
     *
     * @param details the failed checks' wire names, comma-separated; empty when passed
     */
    record SelfTestResult(String endpoint, Instant at, boolean passed, String details) {
    }
}
