package cn.callbox.hub.firmware;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.system.Problems;

/**
 * Turns the firmware package API's and the download's errors into RFC 9457 problem details: 422
 * {@code firmware-refused} with the member {@code reason} ({@code untrusted}, {@code integrity}, {@code malformed},
 * {@code unsupported}, {@code not-edge-firmware}), 409 {@code firmware-exists} with {@code existing} (the id held),
 * 413 {@code firmware-too-large}, 415 {@code unsupported-media-type}, 404 {@code firmware-not-found}.
 */
@RestControllerAdvice(assignableTypes = { FirmwareController.class, FirmwareDownloadController.class })
class FirmwareProblems {

    private static final Logger LOG = LoggerFactory.getLogger(FirmwareProblems.class);

    @ExceptionHandler
    ProblemDetail refused(FirmwareStore.RefusedException e) {
        LOG.warn("Firmware upload refused ({}): {}", e.reason(), e.getMessage());
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "firmware-refused",
                "Firmware package refused", e.getMessage());
        problem.setProperty("reason", e.reason());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail exists(FirmwareStore.ExistsException e) {
        LOG.warn("Firmware upload refused: {}", e.getMessage());
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "firmware-exists", "Firmware version held already",
                e.getMessage());
        if (e.existingId() != null) {
            problem.setProperty("existing", e.existingId());
        }
        return problem;
    }

    @ExceptionHandler
    ProblemDetail tooLarge(FirmwareStore.TooLargeException e) {
        LOG.warn("Firmware upload refused: {}", e.getMessage());
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "firmware-too-large", "Firmware package too large",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail mediaType(FirmwareController.MediaTypeException e) {
        return Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notFound(FirmwareStore.NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "firmware-not-found", "Firmware package not found", e.getMessage());
    }
}
