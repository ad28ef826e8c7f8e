package cn.callbox.device.lwm2m;

import java.time.Clock;
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

/**
 * Object 3 Device: manufacturer, model, serial (= endpoint), firmware version, reboot, battery level (only when the box
 * has a battery gauge), error code, current time and supported binding. Reboot hands over to a callback and answers
 * at once. A battery level that cannot be read right now is answered NOT_FOUND (a read of the whole object leaves it
 * out).
 */
final class DeviceEnabler extends BaseInstanceEnabler {

    static final int MANUFACTURER = 0;
    static final int MODEL = 1;
    static final int SERIAL = 2;
    static final int FIRMWARE = 3;
    static final int REBOOT = 4;
    static final int BATTERY_LEVEL = 9;
    static final int ERROR_CODE = 11;
    static final int CURRENT_TIME = 13;
    static final int BINDING = 16;
    private static final List<Integer> SUPPORTED = List.of(MANUFACTURER, MODEL, SERIAL, FIRMWARE, REBOOT,
            ERROR_CODE, CURRENT_TIME, BINDING);
    private static final List<Integer> SUPPORTED_WITH_BATTERY = List.of(MANUFACTURER, MODEL, SERIAL, FIRMWARE,
            REBOOT, BATTERY_LEVEL, ERROR_CODE, CURRENT_TIME, BINDING);

    static final String MANUFACTURER_NAME = "callbox.cn";
    static final String MODEL_NAME = "CallBox Pi";

    private final String serial;
    private final String firmwareVersion;
    private final Runnable reboot;
    private final Clock clock;
    private final Supplier<List<Long>> errorCodes;
    private final BatteryGauge battery;

    /**
     * @param errorCodes the current error codes (the last self-test's; {@code [0]} when fine)
     * @param battery the battery or UPS gauge; null when the box has none (3/0/9 is then not served)
     */
    DeviceEnabler(String serial, String firmwareVersion, Runnable reboot, Clock clock,
            Supplier<List<Long>> errorCodes, BatteryGauge battery) {
        this.serial = serial;
        this.firmwareVersion = firmwareVersion;
        this.reboot = reboot;
        this.clock = clock;
        this.errorCodes = errorCodes;
        this.battery = battery;
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case MANUFACTURER -> ReadResponse.success(resourceId, MANUFACTURER_NAME);
            case MODEL -> ReadResponse.success(resourceId, MODEL_NAME);
            case SERIAL -> ReadResponse.success(resourceId, serial);
            case FIRMWARE -> ReadResponse.success(resourceId, firmwareVersion);
            case BATTERY_LEVEL -> batteryLevel();
            case ERROR_CODE -> ReadResponse.success(LwM2mMultipleResource.newResource(ERROR_CODE, errorCodeMap(),
                    Type.INTEGER));
            case CURRENT_TIME -> ReadResponse.success(resourceId, Date.from(clock.instant()));
            case BINDING -> ReadResponse.success(resourceId, "U");
            default -> super.read(server, resourceId);
        };
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
        return battery == null ? SUPPORTED : SUPPORTED_WITH_BATTERY;
    }
}
