package cn.callbox.device.lwm2m;

import java.util.Optional;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

import cn.callbox.device.call.CallStatus;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.lwm2m.CallStatusObject;

/** 33004/0, the call status: the hub writes state and incident; a state write drives lamp and announcement. */
final class CallStatusEnabler extends BaseInstanceEnabler {

    private final CallStatus callStatus;

    CallStatusEnabler(CallStatus callStatus) {
        super(0);
        this.callStatus = callStatus;
    }

    /** Pushes the state after a local change (a press sets {@code sending}). */
    void changed() {
        fireResourcesChange(getResourcePaths(CallStatusObject.STATE, CallStatusObject.INCIDENT));
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case CallStatusObject.STATE -> ReadResponse.success(resourceId, callStatus.state().wireName());
            case CallStatusObject.INCIDENT -> ReadResponse.success(resourceId, callStatus.incident());
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
        switch (resourceId) {
            case CallStatusObject.STATE -> {
                Optional<CallState> state = Resources.string(value).flatMap(t -> WireName.parse(CallState.class, t));
                if (state.isEmpty()) {
                    return WriteResponse.badRequest("state must be idle, sending, received, acknowledged or responding");
                }
                if (state.get() != callStatus.state()) {
                    callStatus.change(state.get());
                }
                return WriteResponse.success();
            }
            case CallStatusObject.INCIDENT -> {
                Optional<String> incident = Resources.string(value).filter(t -> t.length() <= 100);
                if (incident.isEmpty()) {
                    return WriteResponse.badRequest("incident must be a string of at most 100 characters");
                }
                callStatus.incident(incident.get());
                return WriteResponse.success();
            }
            default -> {
                return super.write(server, replace, resourceId, value);
            }
        }
    }
}
