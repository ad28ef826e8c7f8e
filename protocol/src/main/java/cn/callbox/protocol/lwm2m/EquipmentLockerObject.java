package cn.callbox.protocol.lwm2m;

/** Custom object 33000, the equipment locker (single instance). */
public final class EquipmentLockerObject {
    public static final int ID = 33000;
    public static final int DOOR_OPEN = 0;
    public static final int DOOR_CHANGED_AT = 1;
    public static final int TAMPER = 2;
    /** Executable: runs the box self-test. */
    public static final int SELF_TEST = 3;

    private EquipmentLockerObject() {
    }
}
