package cn.callbox.hub.lwm2m;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;

import cn.callbox.hub.incident.AlarmRecord;
import cn.callbox.protocol.lwm2m.PushButtonObject;

/**
 * Reads alarm records out of a box's LwM2M Send: every timestamp that carries the panic button's counter
 * (/3347/0/5501) is one press. A backlog (a box that was offline) carries several timestamps, oldest first or not.
 */
final class AlarmExtractor {

    private AlarmExtractor() {
    }

    /**
     * @param endpoint the sending box
     * @param data the decoded Send payload
     * @return one record per timestamp that has a counter value, ordered by press time; empty when the Send carries no
     *         alarm (other data)
     * @throws IllegalArgumentException when a counter value is not a whole number
     */
    static List<AlarmRecord> alarms(String endpoint, TimestampedLwM2mNodes data) {
        List<AlarmRecord> records = new ArrayList<>();
        for (Instant timestamp : data.getTimestamps()) {
            Map<LwM2mPath, LwM2mNode> nodes = data.getNodesAt(timestamp);
            Optional<Object> counter = NodeValues.resourceValue(nodes, PushButtonObject.ID,
                    PushButtonObject.PANIC_INSTANCE, PushButtonObject.COUNTER);
            if (counter.isPresent()) {
                // no time stamp: the press time stays null, and the hub dates it (it cannot identify it by time)
                records.add(new AlarmRecord(endpoint, sequence(counter.get()), timestamp));
            }
        }
        records.sort(Comparator.comparing(AlarmRecord::pressedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingLong(AlarmRecord::sequence));
        return records;
    }

    private static long sequence(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number number) {
            // ULong (unsigned integer) or a decoder's BigInteger: the counter is far below Long.MAX_VALUE.
            double d = number.doubleValue();
            if (d == Math.rint(d) && d >= 0 && d < Long.MAX_VALUE) {
                return number.longValue();
            }
        }
        throw new IllegalArgumentException("alarm sequence /3347/0/5501 is not a whole number: " + value);
    }
}
