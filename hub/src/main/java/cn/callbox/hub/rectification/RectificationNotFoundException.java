package cn.callbox.hub.rectification;

/** No task with that id. */
final class RectificationNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RectificationNotFoundException(String id) {
        super("No rectification task '" + id + "'.");
    }
}
