package cn.callbox.device.lwm2m;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;

import cn.callbox.device.health.BatteryGauge;
import cn.callbox.device.power.PowerSupply;

/**
 * Object 3 Device: manufacturer, model, serial (= endpoint), firmware version, reboot, available power sources (only
 * when the box has an AC-OK input), battery level (only when the box has a battery gauge), error code, current time and
 * supported binding. Reboot hands over to a callback and answers at once. A battery level that cannot be read right now
 * is answered NOT_FOUND (a read of the whole object leaves it out).
 * <p>
 * Available Power Sources (3/0/6) lists the sources the box can draw on <em>now</em>: instance
 * {@value #MAINS_INSTANCE} = 6 (AC mains) while the power supply's AC-OK signal says mains is there, instance
 * {@value #BATTERY_INSTANCE} = 1 (internal battery) always. So mains loss is the absence of the value 6, which any
 * LwM2M server understands without our own object; a change of 3/0/6 or of the battery level is pushed to observers at
 * once. Battery Status (3/0/20) is not served: its values mix the mains state with the charge (Low Battery hides
 * whether mains is there) and need a charger signal the box does not have.
 */
final class DeviceEnabler extends BaseInstanceEnabler {

    static final int MANUFACTURER = 0;
    static final int MODEL = 1;
    static final int SERIAL = 2;
    static final int FIRMWARE = 3;
    static final int REBOOT = 4;
    static final int AVAILABLE_POWER_SOURCES = 6;
    static final int BATTERY_LEVEL = 9;
    static final int ERROR_CODE = 11;
    static final int CURRENT_TIME = 13;
    static final int BINDING = 16;
    /** OMA's values of 3/0/6. */
    static final long SOURCE_INTERNAL_BATTERY = 1;
    static final long SOURCE_AC_MAINS = 6;
    /** Resource instances of 3/0/6, fixed per source (the spec ties 3/0/7 and 3/0/8 instances to them). */
    static final int MAINS_INSTANCE = 0;
    static final int BATTERY_INSTANCE = 1;

    static final String MANUFACTURER_NAME = "callbox.cn";
    static final String MODEL_NAME = "CallBox Pi";

    private final String serial;
    private final String firmwareVersion;
    private final Runnable reboot;
    private final Clock clock;
    private final Supplier<List<Long>> errorCodes;
    private final BatteryGauge battery;
    private final PowerSupply power;
    private final List<Integer> supported;

    /** A box without AC-OK input. */
    DeviceEnabler(String serial, String firmwareVersion, Runnable reboot, Clock clock,
            Supplier<List<Long>> errorCodes, BatteryGauge battery) {
        this(serial, firmwareVersion, reboot, clock, errorCodes, battery, null);
    }

    /**
     * @param errorCodes the current error codes (the last self-test's; {@code [0]} when fine)
     * @param battery the battery or UPS gauge; null when the box has none (3/0/9 is then not served)
     * @param power the power supply's AC-OK signal; null when the box has none (3/0/6 is then not served)
     */
    DeviceEnabler(String serial, String firmwareVersion, Runnable reboot, Clock clock,
            Supplier<List<Long>> errorCodes, BatteryGauge battery, PowerSupply power) {
        this.serial = serial;
        this.firmwareVersion = firmwareVersion;
        this.reboot = reboot;
        this.clock = clock;
        this.errorCodes = errorCodes;
        this.battery = battery;
        this.power = power;
        List<Integer> ids = new ArrayList<>(List.of(MANUFACTURER, MODEL, SERIAL, FIRMWARE, REBOOT));
        if (power != null) {
            ids.add(AVAILABLE_POWER_SOURCES);
            power.addListener(onMains -> pushed(AVAILABLE_POWER_SOURCES));
        }
        if (battery != null) {
            ids.add(BATTERY_LEVEL);
            battery.onChange(() -> pushed(BATTERY_LEVEL));
        }
        ids.addAll(List.of(ERROR_CODE, CURRENT_TIME, BINDING));
        this.supported = List.copyOf(ids);
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case MANUFACTURER -> ReadResponse.success(resourceId, MANUFACTURER_NAME);
            case MODEL -> ReadResponse.success(resourceId, MODEL_NAME);
            case SERIAL -> ReadResponse.success(resourceId, serial);
            case FIRMWARE -> ReadResponse.success(resourceId, firmwareVersion);
            case AVAILABLE_POWER_SOURCES -> powerSources();
            case BATTERY_LEVEL -> batteryLevel();
            case ERROR_CODE -> ReadResponse.success(LwM2mMultipleResource.newResource(ERROR_CODE, errorCodeMap(),
                    Type.INTEGER));
            case CURRENT_TIME -> ReadResponse.success(resourceId, Date.from(clock.instant()));
            case BINDING -> ReadResponse.success(resourceId, "U");
            default -> super.read(server, resourceId);
        };
    }

    /** Tells observers; a change before the client has set this instance up has no observer yet. */
    private void pushed(int resourceId) {
        if (getModel() != null && getId() != null) {
            fireResourceChange(resourceId);
        }
    }

    private ReadResponse powerSources() {
        if (power == null) {
            return ReadResponse.notFound();
        }
        Map<Integer, Long> sources = new TreeMap<>();
        if (power.onMains()) {
            sources.put(MAINS_INSTANCE, SOURCE_AC_MAINS);
        }
        sources.put(BATTERY_INSTANCE, SOURCE_INTERNAL_BATTERY);
        return ReadResponse.success(LwM2mMultipleResource.newResource(AVAILABLE_POWER_SOURCES, sources,
                Type.INTEGER));
    }

    private ReadResponse batteryLevel() {
        if (battery == null) {
            return ReadResponse.notFound();
        }
        OptionalInt percent = battery.percent();
        return percent.isPresent() ? ReadResponse.success(BATTERY_LEVEL, (long) percent.getAsInt())
                : ReadResponse.notFound();
    }

    private Map<Integer, Long> errorCodeMap() {
        List<Long> codes = errorCodes.get();
        Map<Integer, Long> map = new TreeMap<>();
        for (int i = 0; i < codes.size(); i++) {
            map.put(i, codes.get(i));
        }
        return map.isEmpty() ? Map.of(0, 0L) : map;
    }

    @Override
    public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
        if (resourceId == REBOOT) {
            // answer first: the reboot tears down the connection the response would travel on
            Thread thread = new Thread(reboot, "reboot");
            thread.setDaemon(true);
            thread.start();
            return ExecuteResponse.success();
        }
        return super.execute(server, resourceId, arguments);
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return supported;
    }
}
