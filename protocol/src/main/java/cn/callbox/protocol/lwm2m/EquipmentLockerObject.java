package cn.callbox.protocol.lwm2m;

/** Custom object 33000, the equipment locker (single instance). */
public final class EquipmentLockerObject {
    public static final int ID = 33000;
    public static final int DOOR_OPEN = 0;
    public static final int DOOR_CHANGED_AT = 1;
    public static final int TAMPER = 2;
    /** Executable: runs the box self-test, silent unless argument {@link #SELF_TEST_ARG_MODE} is {@code audible}. */
    public static final int SELF_TEST = 3;
    /** Self test argument: the mode. */
    public static final int SELF_TEST_ARG_MODE = 0;
    /** Self test mode value: also announce the test and sound the siren's test pattern. */
    public static final String SELF_TEST_AUDIBLE = "audible";

    private EquipmentLockerObject() {
    }
}
