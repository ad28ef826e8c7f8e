package cn.callbox.protocol.lwm2m;

/**
 * Attributes our call boxes add to their LwM2M REGISTER (query parameters besides {@code ep}, {@code lt}, ...), which a
 * standard LwM2M client does not send.
 */
public final class RegistrationAttributes {

    /**
     * The box's heartbeat in whole seconds: it sends a registration UPDATE this often, much more often than its
     * lifetime asks. The hub supervises a box that announces it by its heartbeat, any other client by its lifetime.
     */
    public static final String HEARTBEAT_SECONDS = "hb";

    private RegistrationAttributes() {
    }
}
