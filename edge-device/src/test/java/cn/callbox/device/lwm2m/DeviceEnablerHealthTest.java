package cn.callbox.device.lwm2m;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.junit.jupiter.api.Test;

import cn.callbox.device.health.BatteryGauge;

/** Battery level (3/0/9) only on a box with a gauge; the radio signal (4/0/2) as the modem says. */
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
}
