package cn.callbox.device.lwm2m;

import java.util.Date;
import java.util.function.Consumer;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.request.argument.Argument;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;

import cn.callbox.device.locker.Locker;
import cn.callbox.device.selftest.SelfTest;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;

/**
 * 33000/0, the equipment locker: door, door changed at, tamper, self test. Pushes door and tamper changes. The self
 * test runs its checks before the execute is answered, so the hub can read the result (Device 3/0/11) right after. It
 * is silent unless the execute carries argument 0 = {@code audible}; any other argument is a bad request.
 */
final class LockerEnabler extends BaseInstanceEnabler {

    private final Locker locker;
    private final Consumer<SelfTest.Mode> selfTest;

    LockerEnabler(Locker locker, Consumer<SelfTest.Mode> selfTest) {
        super(0);
        this.locker = locker;
        this.selfTest = selfTest;
        locker.addListener(new Locker.LockerListener() {
            @Override
            public void doorChanged(boolean open) {
                fireResourcesChange(
                        getResourcePaths(EquipmentLockerObject.DOOR_OPEN, EquipmentLockerObject.DOOR_CHANGED_AT));
            }

            @Override
            public void tamperChanged(boolean tampered) {
                fireResourceChange(EquipmentLockerObject.TAMPER);
            }
        });
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case EquipmentLockerObject.DOOR_OPEN -> ReadResponse.success(resourceId, locker.doorOpen());
            case EquipmentLockerObject.DOOR_CHANGED_AT ->
                ReadResponse.success(resourceId, Date.from(locker.doorChangedAt()));
            case EquipmentLockerObject.TAMPER -> ReadResponse.success(resourceId, locker.tampered());
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
        if (resourceId == EquipmentLockerObject.SELF_TEST) {
            SelfTest.Mode mode = SelfTest.Mode.SILENT;
            for (Argument argument : arguments == null ? Arguments.emptyArguments() : arguments) {
                if (argument.getDigit() == EquipmentLockerObject.SELF_TEST_ARG_MODE
                        && EquipmentLockerObject.SELF_TEST_AUDIBLE.equals(argument.getValue())) {
                    mode = SelfTest.Mode.AUDIBLE;
                } else {
                    return ExecuteResponse.badRequest("self test takes only " + EquipmentLockerObject.SELF_TEST_ARG_MODE
                            + "='" + EquipmentLockerObject.SELF_TEST_AUDIBLE + "'");
                }
            }
            selfTest.accept(mode);
            return ExecuteResponse.success();
        }
        return super.execute(server, resourceId, arguments);
    }
}
