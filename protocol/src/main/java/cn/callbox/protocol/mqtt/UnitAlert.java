package cn.callbox.protocol.mqtt;

/**
 * Payload of {@code callbox/<township>/units/<unit>/alerts}. Enumerated fields carry wire names
 * ({@code kind}: panic, drill, test; {@code role}: primary, support); {@code raisedAt} is ISO-8601 UTC; {@code message}
 * is zh-CN text for the member's phone.
 */
public record UnitAlert(String incidentId, String kind, String role, String callbox, String place, String village,
        double lat, double lon, String raisedAt, String message) {
}
