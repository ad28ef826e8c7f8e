package cn.callbox.device.lwm2m;

import java.util.List;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

import cn.callbox.device.alarm.PressCounter;
import cn.callbox.device.panic.PanicButton;
import cn.callbox.protocol.lwm2m.PushButtonObject;

/** 3347/0, the panic button: state, the persisted press counter, application type {@code panic}. */
final class PanicButtonEnabler extends BaseInstanceEnabler {

    private final PanicButton button;
    private final PressCounter counter;

    PanicButtonEnabler(PanicButton button, PressCounter counter) {
        super(PushButtonObject.PANIC_INSTANCE);
        this.button = button;
        this.counter = counter;
    }

    /** Pushes state and counter to observers; call after a press was handled. */
    void pressed() {
        fireResourcesChange(getResourcePaths(PushButtonObject.STATE, PushButtonObject.COUNTER));
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case PushButtonObject.STATE -> ReadResponse.success(resourceId, button.isPressed());
            case PushButtonObject.COUNTER -> ReadResponse.success(resourceId, counter.current());
            case PushButtonObject.APPLICATION_TYPE ->
                ReadResponse.success(resourceId, PushButtonObject.PANIC_APPLICATION);
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
        if (resourceId == PushButtonObject.APPLICATION_TYPE) {
            // the hub routes by this value: a panic button stays a panic button
            return Resources.string(value).filter(PushButtonObject.PANIC_APPLICATION::equals)
                    .map(ok -> WriteResponse.success())
                    .orElse(WriteResponse.badRequest("application type of the panic button is fixed: panic"));
        }
        return super.write(server, replace, resourceId, value);
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return List.of(PushButtonObject.STATE, PushButtonObject.COUNTER, PushButtonObject.APPLICATION_TYPE);
    }
}
