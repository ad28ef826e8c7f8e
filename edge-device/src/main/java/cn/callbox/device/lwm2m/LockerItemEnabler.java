package cn.callbox.device.lwm2m;

import java.util.Date;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.response.ReadResponse;

import cn.callbox.device.locker.Locker;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.lwm2m.LockerItemObject;

/** One 33001 instance: the slots of one item kind. Pushes present and changed-at when an item leaves or returns. */
final class LockerItemEnabler extends BaseInstanceEnabler {

    private final Locker locker;
    private final ItemKind kind;

    LockerItemEnabler(int instanceId, Locker locker, ItemKind kind) {
        super(instanceId);
        this.locker = locker;
        this.kind = kind;
        locker.addListener(new Locker.LockerListener() {
            @Override
            public void itemsChanged(ItemKind changed, int present) {
                if (changed == kind) {
                    fireResourcesChange(getResourcePaths(LockerItemObject.PRESENT, LockerItemObject.CHANGED_AT));
                }
            }
        });
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case LockerItemObject.ITEM_KIND -> ReadResponse.success(resourceId, kind.wireName());
            case LockerItemObject.PRESENT -> ReadResponse.success(resourceId, (long) locker.present(kind));
            case LockerItemObject.SLOTS_FITTED -> ReadResponse.success(resourceId, (long) locker.slotsFitted(kind));
            case LockerItemObject.CHANGED_AT -> ReadResponse.success(resourceId, Date.from(locker.changedAt(kind)));
            default -> super.read(server, resourceId);
        };
    }
}
