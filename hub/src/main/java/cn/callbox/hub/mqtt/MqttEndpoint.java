package cn.callbox.hub.mqtt;

/**
 * Where the hub's broker is: for the embedded broker the actually bound address and port (useful when
 * {@code callbox.mqtt.port=0}); for an external broker its URL, with {@code port} parsed from it (-1 if absent).
 *
 * @param serverUri {@code tcp://host:port}
 * @param host host name or address
 * @param port TCP port
 * @param embedded true when the hub runs the broker itself
 */
public record MqttEndpoint(String serverUri, String host, int port, boolean embedded) {
}
