package cn.callbox.device.lwm2m;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

import cn.callbox.device.firmware.FirmwareUpdater;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject;

/**
 * 5/0, Firmware Update, pull only: the hub writes the Package URI (1), executes Update (2) once the state (3) is
 * Downloaded, and reads the Update Result (5); Cancel (10) or writing "" to 1 drops a download. Push delivery (writing
 * 0) is refused. The work is {@link FirmwareUpdater}'s, on its own thread: every call here answers at once, and
 * state, result, name and version are pushed to observers when they change.
 */
final class FirmwareUpdateEnabler extends BaseInstanceEnabler {

    private static final List<Integer> SUPPORTED = List.of(FirmwareUpdateObject.PACKAGE,
            FirmwareUpdateObject.PACKAGE_URI, FirmwareUpdateObject.UPDATE, FirmwareUpdateObject.STATE,
            FirmwareUpdateObject.UPDATE_RESULT, FirmwareUpdateObject.PKG_NAME, FirmwareUpdateObject.PKG_VERSION,
            FirmwareUpdateObject.PROTOCOL_SUPPORT, FirmwareUpdateObject.DELIVERY_METHOD, FirmwareUpdateObject.CANCEL);
    private static final int MAX_URI = 2_048;

    private final FirmwareUpdater updater;

    FirmwareUpdateEnabler(FirmwareUpdater updater) {
        super(0);
        this.updater = updater;
        updater.onChange(this::changed);
    }

    /** Pushes state, result, name and version to observers (any thread). */
    private void changed() {
        if (getModel() != null) {
            fireResourcesChange(getResourcePaths(FirmwareUpdateObject.STATE, FirmwareUpdateObject.UPDATE_RESULT,
                    FirmwareUpdateObject.PKG_NAME, FirmwareUpdateObject.PKG_VERSION));
        }
    }

    /** The box registered with the hub (a REGISTER): opens the healthy window of a firmware on trial. */
    void registered() {
        updater.registered();
    }

    /** A registration update got through: confirms a firmware on trial once its healthy window is over. */
    void heartbeat() {
        updater.heartbeat();
    }

    /** The registration was lost: the healthy window of a firmware on trial starts again. */
    void connectionLost() {
        updater.connectionLost();
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        FirmwareUpdater.Status status = updater.status();
        return switch (resourceId) {
            case FirmwareUpdateObject.PACKAGE_URI -> ReadResponse.success(resourceId, status.packageUri());
            case FirmwareUpdateObject.STATE -> ReadResponse.success(resourceId, (long) status.state().code());
            case FirmwareUpdateObject.UPDATE_RESULT -> ReadResponse.success(resourceId, (long) status.result().code());
            case FirmwareUpdateObject.PKG_NAME -> ReadResponse.success(resourceId, status.packageName());
            case FirmwareUpdateObject.PKG_VERSION -> ReadResponse.success(resourceId, status.packageVersion());
            case FirmwareUpdateObject.PROTOCOL_SUPPORT -> ReadResponse.success(LwM2mMultipleResource.newResource(
                    resourceId, Map.of(0, (long) FirmwareUpdateObject.PROTOCOL_HTTP, 1,
                            (long) FirmwareUpdateObject.PROTOCOL_HTTPS), Type.INTEGER));
            case FirmwareUpdateObject.DELIVERY_METHOD -> ReadResponse.success(resourceId,
                    (long) FirmwareUpdateObject.DELIVERY_PULL_ONLY);
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
        switch (resourceId) {
            case FirmwareUpdateObject.PACKAGE -> {
                return WriteResponse.badRequest("push delivery is not supported; write the Package URI");
            }
            case FirmwareUpdateObject.PACKAGE_URI -> {
                Optional<String> uri = Resources.string(value).filter(text -> text.length() <= MAX_URI);
                if (uri.isEmpty()) {
                    return WriteResponse.badRequest("the Package URI must be a string of at most " + MAX_URI
                            + " characters");
                }
                Optional<String> refused = updater.packageUri(uri.get().strip());
                return refused.isPresent() ? WriteResponse.badRequest(refused.get()) : WriteResponse.success();
            }
            default -> {
                return super.write(server, replace, resourceId, value);
            }
        }
    }

    @Override
    public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
        Optional<String> refused;
        switch (resourceId) {
            case FirmwareUpdateObject.UPDATE -> refused = updater.update();
            case FirmwareUpdateObject.CANCEL -> refused = updater.cancel();
            default -> {
                return super.execute(server, resourceId, arguments);
            }
        }
        return refused.isPresent() ? ExecuteResponse.badRequest(refused.get()) : ExecuteResponse.success();
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return SUPPORTED;
    }
}
