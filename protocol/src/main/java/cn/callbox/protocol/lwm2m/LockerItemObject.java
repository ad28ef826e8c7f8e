package cn.callbox.protocol.lwm2m;

/** Custom object 33001, one instance per item kind the locker has slots for. */
public final class LockerItemObject {
    public static final int ID = 33001;
    /** String, the wire name of an {@link cn.callbox.protocol.ItemKind}. */
    public static final int ITEM_KIND = 0;
    public static final int PRESENT = 1;
    public static final int SLOTS_FITTED = 2;
    public static final int CHANGED_AT = 3;

    private LockerItemObject() {
    }
}
