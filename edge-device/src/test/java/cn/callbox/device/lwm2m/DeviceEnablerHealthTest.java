package cn.callbox.device.lwm2m;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.model.LwM2mModelRepository;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.junit.jupiter.api.Test;

import cn.callbox.device.health.BatteryGauge;
import cn.callbox.device.power.PowerSupply;
import cn.callbox.protocol.lwm2m.ObjectModels;

/**
 * Battery level (3/0/9) only on a box with a gauge; available power sources (3/0/6) only on a box with an AC-OK input;
 * the radio signal (4/0/2) as the modem says.
 */
class DeviceEnablerHealthTest {

    private static DeviceEnabler device(BatteryGauge battery) {
        return new DeviceEnabler("box", "1.2.3", () -> {
        }, Clock.systemUTC(), () -> List.of(0L), battery);
    }

    @Test
    void a_box_without_a_gauge_serves_no_battery_level() {
        DeviceEnabler enabler = device(null);
        assertFalse(enabler.getAvailableResourceIds(null).contains(DeviceEnabler.BATTERY_LEVEL));
        assertEquals(ResponseCode.NOT_FOUND, enabler.read(null, DeviceEnabler.BATTERY_LEVEL).getCode());
        assertEquals("1.2.3", ((LwM2mSingleResource) enabler.read(null, DeviceEnabler.FIRMWARE).getContent())
                .getValue());
    }

    @Test
    void a_box_with_a_gauge_serves_its_level_while_it_can_be_read() {
        OptionalInt[] level = { OptionalInt.of(55) };
        DeviceEnabler enabler = device(() -> level[0]);
        assertTrue(enabler.getAvailableResourceIds(null).contains(DeviceEnabler.BATTERY_LEVEL));
        assertEquals(55L, ((LwM2mSingleResource) enabler.read(null, DeviceEnabler.BATTERY_LEVEL).getContent())
                .getValue());
        level[0] = OptionalInt.empty();
        assertEquals(ResponseCode.NOT_FOUND, enabler.read(null, DeviceEnabler.BATTERY_LEVEL).getCode());
    }

    @Test
    void connectivity_reports_the_modems_signal() {
        OptionalInt[] dbm = { OptionalInt.of(-93) };
        ConnectivityEnabler enabler = new ConnectivityEnabler(() -> dbm[0]);
        assertEquals(-93L, ((LwM2mSingleResource) enabler.read(null,
                ConnectivityEnabler.RADIO_SIGNAL_STRENGTH).getContent()).getValue());
        assertEquals(ConnectivityEnabler.LTE, ((LwM2mSingleResource) enabler.read(null,
                ConnectivityEnabler.NETWORK_BEARER).getContent()).getValue());
        dbm[0] = OptionalInt.empty();
        assertEquals(ResponseCode.NOT_FOUND, enabler.read(null, ConnectivityEnabler.RADIO_SIGNAL_STRENGTH).getCode());
    }

    /** A power supply whose AC-OK signal the test sets. */
    private static final class FakePowerSupply implements PowerSupply {
        private final List<MainsListener> listeners = new ArrayList<>();
        private volatile boolean onMains = true;

        @Override
        public boolean onMains() {
            return onMains;
        }

        @Override
        public void addListener(MainsListener listener) {
            listeners.add(listener);
        }

        void set(boolean value) {
            onMains = value;
            listeners.forEach(listener -> listener.mainsChanged(value));
        }
    }

    @Test
    void available_power_sources_list_ac_mains_only_while_the_ac_ok_signal_says_so_and_changes_are_pushed() {
        FakePowerSupply power = new FakePowerSupply();
        Runnable[] batteryListener = new Runnable[1];
        BatteryGauge battery = new BatteryGauge() {
            @Override
            public OptionalInt percent() {
                return OptionalInt.of(40);
            }

            @Override
            public void onChange(Runnable listener) {
                batteryListener[0] = listener;
            }
        };
        DeviceEnabler enabler = new DeviceEnabler("box", "1.2.3", () -> {
        }, Clock.systemUTC(), () -> List.of(0L), battery, power);
        enabler.setId(0);
        enabler.setModel(new LwM2mModelRepository(ObjectModels.all()).getLwM2mModel().getObjectModel(3));
        List<LwM2mPath> pushed = new ArrayList<>();
        enabler.addResourceListener(paths -> pushed.addAll(List.of(paths)));
        assertTrue(enabler.getAvailableResourceIds(null).contains(DeviceEnabler.AVAILABLE_POWER_SOURCES));

        assertEquals(Map.of(0, 6L, 1, 1L), sources(enabler));
        power.set(false);
        assertEquals(Map.of(1, 1L), sources(enabler), "on battery: mains is not available");
        assertEquals(List.of(new LwM2mPath(3, 0, 6)), pushed);
        power.set(true);
        assertEquals(Map.of(0, 6L, 1, 1L), sources(enabler));

        batteryListener[0].run();
        assertEquals(new LwM2mPath(3, 0, 9), pushed.get(pushed.size() - 1));
    }

    @Test
    void a_box_without_an_ac_ok_input_serves_no_power_sources() {
        DeviceEnabler enabler = device(() -> OptionalInt.of(50));
        assertFalse(enabler.getAvailableResourceIds(null).contains(DeviceEnabler.AVAILABLE_POWER_SOURCES));
        assertEquals(ResponseCode.NOT_FOUND, enabler.read(null, DeviceEnabler.AVAILABLE_POWER_SOURCES).getCode());
    }

    private static Map<Integer, ?> sources(DeviceEnabler enabler) {
        return values(enabler.read(null, DeviceEnabler.AVAILABLE_POWER_SOURCES).getContent());
    }

    /** Resource instance id to value of a multiple resource. */
    private static Map<Integer, Object> values(Object node) {
        Map<Integer, Object> values = new java.util.TreeMap<>();
        ((LwM2mMultipleResource) node).getInstances().forEach((id, instance) -> values.put(id, instance.getValue()));
        return values;
    }
}
