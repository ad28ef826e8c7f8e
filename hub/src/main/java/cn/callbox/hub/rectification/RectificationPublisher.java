package cn.callbox.hub.rectification;

/**
 * Publishes a task's current state, retained, on {@code callbox/<township>/rectifications/<id>} (the assignee's unit
 * and the command centre follow it there). Returns at once; may throw when the message cannot even be queued.
 */
public interface RectificationPublisher {

    /** @param taskJson the task as {@code GET /api/rectifications/{id}} shows it */
    void publishRectification(String taskId, String taskJson);
}
