package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.incident.AlarmRecord;
import cn.callbox.protocol.lwm2m.PushButtonObject;

class AlarmExtractorTest {

    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    @Test
    void alarm_without_timestamp_has_no_press_time_for_the_hub_to_date() {
        TimestampedLwM2mNodes data = new TimestampedLwM2mNodes.Builder()
                .put(new LwM2mPath(PushButtonObject.ID, 0, PushButtonObject.COUNTER),
                        LwM2mSingleResource.newIntegerResource(PushButtonObject.COUNTER, 5))
                .build();

        assertThat(AlarmExtractor.alarms("box-1", data)).containsExactly(new AlarmRecord("box-1", 5, null));
    }

    @Test
    void counter_inside_an_instance_node_is_found() {
        Instant at = Instant.parse("2026-11-29T07:00:00Z");
        TimestampedLwM2mNodes data = new TimestampedLwM2mNodes.Builder()
                .put(at, new LwM2mPath(PushButtonObject.ID, 0), new LwM2mObjectInstance(0,
                        LwM2mSingleResource.newBooleanResource(PushButtonObject.STATE, true),
                        LwM2mSingleResource.newIntegerResource(PushButtonObject.COUNTER, 9)))
                .build();

        assertThat(AlarmExtractor.alarms("box-1", data)).containsExactly(new AlarmRecord("box-1", 9, at));
    }

    @Test
    void other_button_instances_and_other_objects_are_not_alarms() {
        TimestampedLwM2mNodes data = new TimestampedLwM2mNodes.Builder()
                .put(NOW, new LwM2mPath(PushButtonObject.ID, 1, PushButtonObject.COUNTER),
                        LwM2mSingleResource.newIntegerResource(PushButtonObject.COUNTER, 2))
                .put(NOW, new LwM2mPath(3, 0, 9), LwM2mSingleResource.newIntegerResource(9, 80))
                .build();

        assertThat(AlarmExtractor.alarms("box-1", data)).isEmpty();
    }
}
