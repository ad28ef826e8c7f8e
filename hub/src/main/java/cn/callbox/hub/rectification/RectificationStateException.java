package cn.callbox.hub.rectification;

/** The task is not in a state that allows this step (e.g. verifying a task nobody rectified). */
final class RectificationStateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RectificationStateException(String message) {
        super(message);
    }
}
