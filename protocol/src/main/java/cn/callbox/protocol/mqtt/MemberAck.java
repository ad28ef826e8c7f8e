package cn.callbox.protocol.mqtt;

/** Payload a member publishes on {@code callbox/<township>/units/<unit>/acks}, and the body of a REST ack. */
public record MemberAck(String incidentId, String memberId) {
}
