package cn.callbox.device.firmware;

import java.io.IOException;
import java.nio.file.FileSystemException;

import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;

/** A download, check or install that ended badly, with the Update Result (object 5 resource 5) to report. */
final class UpdateFailure extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient Result result;

    UpdateFailure(Result result, String message) {
        super(message);
        this.result = result;
    }

    Result result() {
        return result;
    }

    /** A failure writing or reading local files: disk full (2) when it looks like it, else update failed (8). */
    static UpdateFailure storage(IOException e, String what) {
        String reason = e instanceof FileSystemException failure && failure.getReason() != null ? failure.getReason()
                : String.valueOf(e.getMessage());
        boolean full = reason.contains("No space left") || reason.contains("Disk quota");
        return new UpdateFailure(full ? Result.NOT_ENOUGH_STORAGE : Result.UPDATE_FAILED, what + ": " + e);
    }
}
