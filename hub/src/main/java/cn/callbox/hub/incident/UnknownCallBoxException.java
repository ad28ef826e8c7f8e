package cn.callbox.hub.incident;

/** An alarm or command names a call box the registry does not know. */
public class UnknownCallBoxException extends RuntimeException {

    public UnknownCallBoxException(String endpoint) {
        super("unknown call box: " + endpoint);
    }
}
