package cn.callbox.hub.registry;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.Problems;

/**
 * A unit leader asked for another unit's resources: 403 problem {@code urn:callbox:problem:forbidden-unit}, rendered
 * by Spring MVC's problem-details handler without any advice. Nothing was read or changed.
 */
public final class ForbiddenUnitException extends ErrorResponseException {

    private static final long serialVersionUID = 1L;

    /** @param unitId the unit asked for */
    public ForbiddenUnitException(String unitId) {
        super(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN, "forbidden-unit", "Another unit",
                "A unit leader may see and act only for their own unit; '" + unitId + "' is not theirs."), null);
    }

    /**
     * @throws ForbiddenUnitException when the caller is confined to another unit than {@code unitId}
     */
    public static void check(Caller caller, String unitId) {
        if (!caller.maySee(unitId)) {
            throw new ForbiddenUnitException(unitId);
        }
    }
}
