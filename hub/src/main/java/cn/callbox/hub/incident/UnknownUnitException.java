package cn.callbox.hub.incident;

/** A drill or an alert names a unit the registry does not know (REST: 404). */
public class UnknownUnitException extends RuntimeException {

    private final String unitId;

    public UnknownUnitException(String unitId) {
        super("unknown unit: " + unitId);
        this.unitId = unitId;
    }

    /** The unit id as given. */
    public String unitId() {
        return unitId;
    }
}
