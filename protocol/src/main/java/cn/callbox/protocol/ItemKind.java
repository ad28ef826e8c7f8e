package cn.callbox.protocol;

/** Kinds of item a unit's locker holds (DOMAIN.md, the equipment standard). The box reports; the hub judges. */
public enum ItemKind implements WireName {
    WHISTLE, BATON, HELMET, FLASHLIGHT, LOUDSPEAKER, STEEL_FORK, SHIELD, STAB_VEST, CUT_GLOVE, SPRAY, ARMBAND;

    @Override
    public String wireName() {
        return WireName.of(this);
    }
}
