package cn.callbox.device.lwm2m;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.response.ReadResponse;

/** Object 6 Location: the fixed coordinates of the box from its configuration. */
final class LocationEnabler extends BaseInstanceEnabler {

    static final int LATITUDE = 0;
    static final int LONGITUDE = 1;
    static final int TIMESTAMP = 5;

    private final double latitude;
    private final double longitude;
    private final Instant since;

    /** @param since when the coordinates were taken (the box's start) */
    LocationEnabler(double latitude, double longitude, Instant since) {
        this.latitude = latitude;
        this.longitude = longitude;
        this.since = since;
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case LATITUDE -> ReadResponse.success(resourceId, latitude);
            case LONGITUDE -> ReadResponse.success(resourceId, longitude);
            case TIMESTAMP -> ReadResponse.success(resourceId, Date.from(since));
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return List.of(LATITUDE, LONGITUDE, TIMESTAMP);
    }
}
