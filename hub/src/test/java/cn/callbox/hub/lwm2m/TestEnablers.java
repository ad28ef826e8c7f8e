package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.lwm2m.CallStatusObject;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;
import cn.callbox.protocol.lwm2m.LockerItemObject;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.PushButtonObject;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * Minimal client-side objects of a test call box. Leshan creates a factory for every enabler class, so each needs a
 * public no-arg constructor.
 */
public final class TestEnablers {

    private TestEnablers() {
    }

    /**
     * 33002: Start sets sounding and remembers its arguments, unless a pattern of higher priority sounds (then 4.12
     * Precondition Failed, as the real box answers); Stop clears it.
     */
    public static class Siren extends BaseInstanceEnabler {

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(SirenObject.SOUNDING, SirenObject.PATTERN, SirenObject.DURATION, SirenObject.START, SirenObject.STOP);
        }

        volatile boolean sounding;
        volatile String pattern = "alarm";
        volatile long duration = 180;

        public Siren() {
            super(0);
        }

        void setSounding(boolean value) {
            sounding = value;
            fireResourceChange(SirenObject.SOUNDING);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case SirenObject.SOUNDING -> ReadResponse.success(resourceId, sounding);
            case SirenObject.PATTERN -> ReadResponse.success(resourceId, pattern);
            case SirenObject.DURATION -> ReadResponse.success(resourceId, duration);
            default -> super.read(server, resourceId);
            };
        }

        @Override
        public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
            if (resourceId == SirenObject.START) {
                if (arguments.hasDigit(SirenObject.START_ARG_PATTERN)) {
                    String asked = arguments.get(SirenObject.START_ARG_PATTERN).getValue();
                    if (sounding && priority(pattern).outranks(priority(asked))) {
                        return new ExecuteResponse(ResponseCode.PRECONDITION_FAILED,
                                "siren busy: pattern " + pattern + " is sounding and has priority over " + asked);
                    }
                    pattern = asked;
                }
                if (arguments.hasDigit(SirenObject.START_ARG_DURATION)) {
                    duration = Long.parseLong(arguments.get(SirenObject.START_ARG_DURATION).getValue());
                }
                setSounding(true);
                return ExecuteResponse.success();
            }
            if (resourceId == SirenObject.STOP) {
                setSounding(false);
                return ExecuteResponse.success();
            }
            return super.execute(server, resourceId, arguments);
        }

        private static SoundPriority priority(String pattern) {
            return SoundPriority.of(WireName.parse(SirenPattern.class, pattern).orElseThrow());
        }
    }

    /** 33000: the door switch, and the self-test, which makes the device report {@link #selfTestCodes}. */
    public static class Locker extends BaseInstanceEnabler {

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(EquipmentLockerObject.DOOR_OPEN, EquipmentLockerObject.TAMPER,
                    EquipmentLockerObject.SELF_TEST);
        }

        volatile boolean doorOpen;
        volatile boolean tamper;
        volatile List<Long> selfTestCodes = List.of(0L);
        volatile Device device;
        final AtomicInteger selfTests = new AtomicInteger();
        /** The arguments of the last self-test execute, serialised ("" for none). */
        volatile String selfTestArguments;

        @Override
        public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
            if (resourceId == EquipmentLockerObject.SELF_TEST) {
                selfTests.incrementAndGet();
                selfTestArguments = arguments == null || arguments.isEmpty() ? "" : arguments.serialize();
                if (device != null) {
                    device.errorCodes = selfTestCodes;
                }
                return ExecuteResponse.success();
            }
            return super.execute(server, resourceId, arguments);
        }

        public Locker() {
            super(0);
        }

        void setDoorOpen(boolean value) {
            doorOpen = value;
            fireResourceChange(EquipmentLockerObject.DOOR_OPEN);
        }

        /** The enclosure's tamper switch: pushed to observers as the box does. */
        void setTamper(boolean value) {
            tamper = value;
            fireResourceChange(EquipmentLockerObject.TAMPER);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            if (resourceId == EquipmentLockerObject.DOOR_OPEN) {
                return ReadResponse.success(resourceId, doorOpen);
            }
            if (resourceId == EquipmentLockerObject.TAMPER) {
                return ReadResponse.success(resourceId, tamper);
            }
            return super.read(server, resourceId);
        }
    }

    /** Object 3 Device (Leshan's), with the Error Code resource (3/0/11) as the self-test leaves it. */
    public static class Device extends org.eclipse.leshan.client.object.Device {

        static final int ERROR_CODE = 11;
        static final int AVAILABLE_POWER_SOURCES = 6;
        static final int BATTERY_LEVEL = 9;
        static final int CURRENT_TIME = 13;

        volatile List<Long> errorCodes = List.of(0L);
        /** The box's clock, served as 3/0/13 Current Time; null: not served (Leshan's Device does not serve it). */
        volatile Clock clock;
        /** 3/0/6 by resource instance (OMA values: 1 internal battery, 6 AC mains); null: not served. */
        volatile Map<Integer, Long> powerSources;
        /** 3/0/9; null: not served. */
        volatile Long batteryLevel;

        /** Mains there or lost, as a box with an AC-OK input reports it; pushed to observers. */
        void setOnMains(boolean onMains) {
            powerSources = onMains ? Map.of(0, 6L, 1, 1L) : Map.of(1, 1L);
            fireResourceChange(AVAILABLE_POWER_SOURCES);
        }

        void setBatteryLevel(long percent) {
            batteryLevel = percent;
            fireResourceChange(BATTERY_LEVEL);
        }

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            List<Integer> ids = new java.util.ArrayList<>(super.getAvailableResourceIds(model));
            if (powerSources != null && !ids.contains(AVAILABLE_POWER_SOURCES)) {
                ids.add(AVAILABLE_POWER_SOURCES);
            }
            if (batteryLevel != null && !ids.contains(BATTERY_LEVEL)) {
                ids.add(BATTERY_LEVEL);
            }
            if (clock != null && !ids.contains(CURRENT_TIME)) {
                ids.add(CURRENT_TIME);
            }
            return ids;
        }

        public Device() {
            this("test");
        }

        Device(String serial) {
            super("callbox-test", "test", serial);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            if (resourceId == AVAILABLE_POWER_SOURCES) {
                Map<Integer, Long> sources = powerSources;
                return sources == null ? ReadResponse.notFound()
                        : ReadResponse.success(LwM2mMultipleResource.newResource(resourceId, sources, Type.INTEGER));
            }
            if (resourceId == BATTERY_LEVEL) {
                Long level = batteryLevel;
                return level == null ? ReadResponse.notFound() : ReadResponse.success(resourceId, level);
            }
            if (resourceId == CURRENT_TIME) {
                Clock now = clock;
                return now == null ? ReadResponse.notFound()
                        : ReadResponse.success(resourceId, Date.from(now.instant()));
            }
            if (resourceId == ERROR_CODE) {
                Map<Integer, Long> codes = new TreeMap<>();
                List<Long> now = errorCodes;
                for (int i = 0; i < now.size(); i++) {
                    codes.put(i, now.get(i));
                }
                return ReadResponse.success(LwM2mMultipleResource.newResource(ERROR_CODE, codes, Type.INTEGER));
            }
            return super.read(server, resourceId);
        }
    }

    /** 33001: one item kind with a present count. */
    public static class LockerItem extends BaseInstanceEnabler {

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(LockerItemObject.ITEM_KIND, LockerItemObject.PRESENT, LockerItemObject.SLOTS_FITTED);
        }

        volatile String kind = "whistle";
        volatile long present;
        volatile long slots;

        public LockerItem() {
        }

        LockerItem(int id, String kind, long present, long slots) {
            super(id);
            this.kind = kind;
            this.present = present;
            this.slots = slots;
        }

        void setPresent(long value) {
            present = value;
            fireResourceChange(LockerItemObject.PRESENT);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case LockerItemObject.ITEM_KIND -> ReadResponse.success(resourceId, kind);
            case LockerItemObject.PRESENT -> ReadResponse.success(resourceId, present);
            case LockerItemObject.SLOTS_FITTED -> ReadResponse.success(resourceId, slots);
            default -> super.read(server, resourceId);
            };
        }
    }

    /** 33003: remembers the text and counts announcements. */
    public static class Loudspeaker extends BaseInstanceEnabler {

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(LoudspeakerObject.PLAYING, LoudspeakerObject.TEXT, LoudspeakerObject.ANNOUNCE, LoudspeakerObject.STOP);
        }

        volatile String text = "";
        volatile String announcedText;
        /** Argument 0 of the last Announce; null when it had none. */
        volatile String announcedPriority;
        /** Playing an alarm announcement: Announce of a lower priority is answered 4.12, as the real box does. */
        volatile boolean playingAlarm;
        final AtomicInteger announcements = new AtomicInteger();

        public Loudspeaker() {
            super(0);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case LoudspeakerObject.PLAYING -> ReadResponse.success(resourceId, false);
            case LoudspeakerObject.TEXT -> ReadResponse.success(resourceId, text);
            default -> super.read(server, resourceId);
            };
        }

        @Override
        public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
            if (resourceId == LoudspeakerObject.TEXT) {
                text = (String) value.getValue();
                return WriteResponse.success();
            }
            return super.write(server, replace, resourceId, value);
        }

        @Override
        public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
            if (resourceId == LoudspeakerObject.ANNOUNCE) {
                String priority = arguments.hasDigit(LoudspeakerObject.ANNOUNCE_ARG_PRIORITY)
                        ? arguments.get(LoudspeakerObject.ANNOUNCE_ARG_PRIORITY).getValue()
                        : "routine";
                if (playingAlarm && !"alarm".equals(priority)) {
                    return new ExecuteResponse(ResponseCode.PRECONDITION_FAILED,
                            "loudspeaker busy: an announcement of higher priority than " + priority + " is playing");
                }
                announcedText = text;
                announcedPriority = arguments.hasDigit(LoudspeakerObject.ANNOUNCE_ARG_PRIORITY)
                        ? arguments.get(LoudspeakerObject.ANNOUNCE_ARG_PRIORITY).getValue()
                        : null;
                announcements.incrementAndGet();
                return ExecuteResponse.success();
            }
            if (resourceId == LoudspeakerObject.STOP) {
                return ExecuteResponse.success();
            }
            return super.execute(server, resourceId, arguments);
        }
    }

    /** 33004: state and incident, writable. */
    public static class CallStatus extends BaseInstanceEnabler {

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(CallStatusObject.STATE, CallStatusObject.INCIDENT);
        }

        volatile String state = "idle";
        volatile String incident = "";

        public CallStatus() {
            super(0);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case CallStatusObject.STATE -> ReadResponse.success(resourceId, state);
            case CallStatusObject.INCIDENT -> ReadResponse.success(resourceId, incident);
            default -> super.read(server, resourceId);
            };
        }

        @Override
        public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
            switch (resourceId) {
            case CallStatusObject.STATE -> state = (String) value.getValue();
            case CallStatusObject.INCIDENT -> incident = (String) value.getValue();
            default -> {
                return super.write(server, replace, resourceId, value);
            }
            }
            return WriteResponse.success();
        }
    }

    /** 3347/0: the panic button; its values are sent by the test with explicit timestamps. */
    public static class PanicButton extends BaseInstanceEnabler {

        @Override
        public List<Integer> getAvailableResourceIds(ObjectModel model) {
            return List.of(PushButtonObject.STATE, PushButtonObject.COUNTER, PushButtonObject.APPLICATION_TYPE);
        }

        volatile boolean pressed;
        volatile long counter;

        public PanicButton() {
            super(PushButtonObject.PANIC_INSTANCE);
        }

        @Override
        public ReadResponse read(LwM2mServer server, int resourceId) {
            return switch (resourceId) {
            case PushButtonObject.STATE -> ReadResponse.success(resourceId, pressed);
            case PushButtonObject.COUNTER -> ReadResponse.success(resourceId, counter);
            case PushButtonObject.APPLICATION_TYPE -> ReadResponse.success(resourceId,
                    PushButtonObject.PANIC_APPLICATION);
            default -> super.read(server, resourceId);
            };
        }
    }
}
