package cn.callbox.hub.bench.lwm2m;

import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

import cn.callbox.hub.lwm2m.TestEnablers;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.lwm2m.CallStatusObject;
import cn.callbox.protocol.lwm2m.LockerItemObject;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * The test call-box objects of {@link TestEnablers}, with the moments the benchmark measures recorded where they
 * happen: on the box's CoAP thread, as {@link System#nanoTime()}, when the request is handled. Leshan needs a public
 * no-arg constructor on every enabler class. Thread-safe: fields are written on CoAP threads and read by the
 * benchmark thread.
 */
public final class BenchEnablers {

    /** No time recorded yet. */
    public static final long NEVER = Long.MIN_VALUE;

    private BenchEnablers() {
    }

    /** 33002: records when the last Start was executed. */
    public static class TimedSiren extends TestEnablers.Siren {

        private volatile long lastStartNanos = NEVER;

        public TimedSiren() {
        }

        /** {@link System#nanoTime()} of the last Start executed, or {@link #NEVER}. */
        public long lastStartNanos() {
            return lastStartNanos;
        }

        @Override
        public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
            ExecuteResponse response = super.execute(server, resourceId, arguments);
            if (resourceId == SirenObject.START && response.isSuccess()) {
                lastStartNanos = System.nanoTime();
            }
            return response;
        }
    }

    /** 33004: records when the hub last wrote the state {@code received}, and the incident written last. */
    public static class TimedCallStatus extends TestEnablers.CallStatus {

        private volatile long lastReceivedNanos = NEVER;
        private volatile String lastIncident = "";

        public TimedCallStatus() {
        }

        /** {@link System#nanoTime()} of the last write of state {@code received}, or {@link #NEVER}. */
        public long lastReceivedNanos() {
            return lastReceivedNanos;
        }

        /** The incident id written last; empty before any. */
        public String lastIncident() {
            return lastIncident;
        }

        @Override
        public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
            WriteResponse response = super.write(server, replace, resourceId, value);
            if (response.isSuccess()) {
                if (resourceId == CallStatusObject.STATE && CallState.RECEIVED.wireName().equals(value.getValue())) {
                    lastReceivedNanos = System.nanoTime();
                } else if (resourceId == CallStatusObject.INCIDENT) {
                    lastIncident = String.valueOf(value.getValue());
                }
            }
            return response;
        }
    }

    /** 33001: one item kind of the locker kit, a fixed count, all slots full. */
    public static class KitItem extends TestEnablers.LockerItem {

        private final String kind;
        private final long count;

        public KitItem() {
            this(0, ItemKind.WHISTLE, 0);
        }

        KitItem(int instanceId, ItemKind kind, long count) {
            setId(instanceId);
            this.kind = kind.wireName();
            this.count = count;
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case LockerItemObject.ITEM_KIND -> ReadResponse.success(resourceId, kind);
            case LockerItemObject.PRESENT, LockerItemObject.SLOTS_FITTED -> ReadResponse.success(resourceId, count);
            default -> super.read(server, resourceId);
            };
        }
    }
}
