package cn.callbox.hub.readiness;

import java.util.List;
import java.util.Objects;

import cn.callbox.protocol.ItemKind;

/**
 * The equipment standard of a unit (DOMAIN.md §4.3) as data: what its lockers must hold, per member on duty and per
 * unit. Immutable and thread-safe.
 * <p>
 * Armbands (平安万州) are worn by each member on duty, not kept in the locker, so the locker is not required to hold
 * any: {@link ItemKind#ARMBAND} is listed with a required count of 0 so that the console still shows how many are
 * there. The optional kit (stab-proof vest, cut-resistant gloves, defence spray) is listed the same way.
 */
final class EquipmentStandard {

    /** The smallest duty that counts as ready (DOMAIN.md §4.2), the duty leader included. */
    static final int MIN_ON_DUTY = 3;

    /** The township standard of §4.3. */
    static final EquipmentStandard TOWNSHIP = new EquipmentStandard(List.of(
            Requirement.perMember(ItemKind.WHISTLE, 1),
            Requirement.perMember(ItemKind.BATON, 1),
            Requirement.perMember(ItemKind.HELMET, 1),
            Requirement.perUnit(ItemKind.FLASHLIGHT, 1),
            Requirement.perUnit(ItemKind.LOUDSPEAKER, 1),
            Requirement.perUnit(ItemKind.STEEL_FORK, 1),
            Requirement.perUnit(ItemKind.SHIELD, 2),
            Requirement.perUnit(ItemKind.STAB_VEST, 0),
            Requirement.perUnit(ItemKind.CUT_GLOVE, 0),
            Requirement.perUnit(ItemKind.SPRAY, 0),
            Requirement.perUnit(ItemKind.ARMBAND, 0)));

    private final List<Requirement> requirements;

    EquipmentStandard(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /** Every item kind the standard lists, in the order the console shows them. */
    List<Requirement> requirements() {
        return requirements;
    }

    /**
     * One line of the standard.
     *
     * @param perMemberOnDuty true: {@code count} per member on duty; false: {@code count} per unit
     * @param count 0 for optional kit
     */
    record Requirement(ItemKind kind, boolean perMemberOnDuty, int count) {

        Requirement {
            Objects.requireNonNull(kind, "kind");
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative: " + count);
            }
        }

        static Requirement perMember(ItemKind kind, int count) {
            return new Requirement(kind, true, count);
        }

        static Requirement perUnit(ItemKind kind, int count) {
            return new Requirement(kind, false, count);
        }

        /** How many the lockers must hold with {@code onDuty} members on duty. */
        int required(int onDuty) {
            return perMemberOnDuty ? count * Math.max(onDuty, 0) : count;
        }
    }
}
