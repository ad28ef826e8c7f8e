package cn.callbox.device.lwm2m;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.response.ReadResponse;

import cn.callbox.device.health.SignalMeter;

/**
 * Object 4 Connectivity Monitoring, only on a box with a cellular modem: network bearer (LTE), radio signal strength
 * in dBm from the {@link SignalMeter} and the box's IP addresses. A signal that cannot be read right now is answered
 * NOT_FOUND.
 */
final class ConnectivityEnabler extends BaseInstanceEnabler {

    static final int NETWORK_BEARER = 0;
    static final int AVAILABLE_BEARERS = 1;
    static final int RADIO_SIGNAL_STRENGTH = 2;
    static final int IP_ADDRESSES = 4;
    /** LwM2M bearer 6: LTE-FDD, the 4G of the township's operators. */
    static final long LTE = 6;

    private final SignalMeter signal;

    ConnectivityEnabler(SignalMeter signal) {
        super(0);
        this.signal = signal;
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case NETWORK_BEARER -> ReadResponse.success(resourceId, LTE);
            case AVAILABLE_BEARERS -> ReadResponse.success(resourceId, Map.of(0, LTE), Type.INTEGER);
            case RADIO_SIGNAL_STRENGTH -> {
                OptionalInt dbm = signal.dbm();
                yield dbm.isPresent() ? ReadResponse.success(resourceId, (long) dbm.getAsInt())
                        : ReadResponse.notFound();
            }
            case IP_ADDRESSES -> ReadResponse.success(resourceId, addresses(), Type.STRING);
            default -> super.read(server, resourceId);
        };
    }

    /** The box's non-loopback addresses; empty when they cannot be listed. */
    private static Map<Integer, String> addresses() {
        Map<Integer, String> addresses = new TreeMap<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isLoopback() || !nic.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    addresses.put(addresses.size(), address.getHostAddress());
                }
            }
        } catch (SocketException | RuntimeException e) {
            // no addresses to show
        }
        return addresses;
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return List.of(NETWORK_BEARER, AVAILABLE_BEARERS, RADIO_SIGNAL_STRENGTH, IP_ADDRESSES);
    }
}
