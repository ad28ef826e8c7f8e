package cn.callbox.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel;
import org.junit.jupiter.api.Test;

import cn.callbox.protocol.lwm2m.CallStatusObject;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;
import cn.callbox.protocol.lwm2m.LockerItemObject;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.ObjectModels;
import cn.callbox.protocol.lwm2m.PushButtonObject;
import cn.callbox.protocol.lwm2m.SirenObject;

class ObjectModelsTest {

    private final Map<Integer, ObjectModel> models = ObjectModels.all().stream()
            .collect(Collectors.toMap(m -> m.id, Function.identity(), (older, newer) -> newer)); // core objects come in several versions

    @Test
    void every_object_of_the_architecture_is_loaded_and_valid() {
        for (int id : List.of(3, 6, 3347, 33000, 33001, 33002, 33003, 33004)) {
            assertNotNull(models.get(id), "object " + id);
        }
        assertEquals("urn:oma:lwm2m:x:33000", models.get(33000).urn);
    }

    @Test
    void resource_constants_name_resources_of_the_right_type_and_operation() {
        assertResource(PushButtonObject.ID, PushButtonObject.COUNTER, ResourceModel.Type.INTEGER, "R");
        assertResource(PushButtonObject.ID, PushButtonObject.STATE, ResourceModel.Type.BOOLEAN, "R");
        assertResource(EquipmentLockerObject.ID, EquipmentLockerObject.DOOR_OPEN, ResourceModel.Type.BOOLEAN, "R");
        assertResource(EquipmentLockerObject.ID, EquipmentLockerObject.SELF_TEST, ResourceModel.Type.NONE, "E");
        assertResource(LockerItemObject.ID, LockerItemObject.PRESENT, ResourceModel.Type.INTEGER, "R");
        assertResource(SirenObject.ID, SirenObject.PATTERN, ResourceModel.Type.STRING, "RW");
        assertResource(SirenObject.ID, SirenObject.START, ResourceModel.Type.NONE, "E");
        assertResource(LoudspeakerObject.ID, LoudspeakerObject.TEXT, ResourceModel.Type.STRING, "RW");
        assertResource(LoudspeakerObject.ID, LoudspeakerObject.ANNOUNCE, ResourceModel.Type.NONE, "E");
        assertResource(CallStatusObject.ID, CallStatusObject.STATE, ResourceModel.Type.STRING, "RW");
        assertTrue(models.get(LockerItemObject.ID).multiple, "one locker item instance per kind");
        assertTrue(!models.get(SirenObject.ID).multiple);
    }

    private void assertResource(int object, int resource, ResourceModel.Type type, String operations) {
        ResourceModel model = models.get(object).resources.get(resource);
        assertNotNull(model, object + "/" + resource);
        assertEquals(type, model.type, object + "/" + resource + " type");
        assertEquals(operations, model.operations.name(), object + "/" + resource + " operations");
    }
}
