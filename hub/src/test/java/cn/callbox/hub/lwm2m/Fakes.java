package cn.callbox.hub.lwm2m;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import cn.callbox.hub.device.CallBoxStatusPublisher;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.incident.AlarmRecord;
import cn.callbox.hub.registry.CallBoxKey;
import cn.callbox.hub.registry.CallBoxKeys;
import cn.callbox.protocol.mqtt.CallBoxStatus;

/** Small in-memory stand-ins for the registry, the incident service and the MQTT publisher. */
final class Fakes {

    private Fakes() {
    }

    static final class Keys implements CallBoxKeys {
        private final Map<String, CallBoxKey> byEndpoint = new ConcurrentHashMap<>();

        Keys add(String endpoint, String identity, byte[] key) {
            byEndpoint.put(endpoint, new CallBoxKey(endpoint, identity, key));
            return this;
        }

        @Override
        public Optional<CallBoxKey> byEndpoint(String endpoint) {
            return Optional.ofNullable(byEndpoint.get(endpoint));
        }

        @Override
        public Optional<CallBoxKey> byPskIdentity(String pskIdentity) {
            return byEndpoint.values().stream().filter(k -> k.pskIdentity().equals(pskIdentity)).findFirst();
        }
    }

    /** Records alarms; fails the next {@code failures} calls, as a database that is down would. */
    static final class Alarms implements AlarmReceiver {
        final List<AlarmRecord> received = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public String receive(AlarmRecord alarm) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("database down");
            }
            received.add(alarm);
            return "inc-" + alarm.endpoint() + "-" + alarm.sequence();
        }
    }

    static final class Statuses implements CallBoxStatusPublisher {
        final List<Map.Entry<String, CallBoxStatus>> published = new CopyOnWriteArrayList<>();

        final List<String> cleared = new CopyOnWriteArrayList<>();

        @Override
        public void publishStatus(String endpoint, CallBoxStatus status) {
            published.add(Map.entry(endpoint, status));
        }

        @Override
        public void clearStatus(String endpoint) {
            cleared.add(endpoint);
        }

        Optional<CallBoxStatus> last(String endpoint) {
            CallBoxStatus last = null;
            for (Map.Entry<String, CallBoxStatus> e : published) {
                if (e.getKey().equals(endpoint)) {
                    last = e.getValue();
                }
            }
            return Optional.ofNullable(last);
        }
    }
}
