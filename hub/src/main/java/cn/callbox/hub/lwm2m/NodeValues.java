package cn.callbox.hub.lwm2m;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObject;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mResource;

/**
 * Finds single resource values in decoded LwM2M content, whatever level the sender put them at (a resource, its
 * instance or its whole object): SenML decoders give resources, TLV and whole-object reads give trees.
 */
final class NodeValues {

    private NodeValues() {
    }

    /** The value of single resource {@code /object/instance/resource} in {@code nodes}, when present. */
    static Optional<Object> resourceValue(Map<LwM2mPath, LwM2mNode> nodes, int object, int instance, int resource) {
        for (Map.Entry<LwM2mPath, LwM2mNode> entry : nodes.entrySet()) {
            Optional<Object> value = resourceValue(entry.getKey(), entry.getValue(), object, instance, resource);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The value of single resource {@code /object/instance/resource} in the node found at {@code path}. */
    static Optional<Object> resourceValue(LwM2mPath path, LwM2mNode node, int object, int instance, int resource) {
        if (path == null || node == null || path.isRoot() || path.getObjectId() != object) {
            return Optional.empty();
        }
        if (path.isObject() && node instanceof LwM2mObject obj) {
            LwM2mObjectInstance objectInstance = obj.getInstance(instance);
            return objectInstance == null ? Optional.empty() : valueOf(objectInstance.getResource(resource));
        }
        if (path.getObjectInstanceId() != instance) {
            return Optional.empty();
        }
        if (path.isObjectInstance() && node instanceof LwM2mObjectInstance objectInstance) {
            return valueOf(objectInstance.getResource(resource));
        }
        if (path.isResource() && path.getResourceId() == resource && node instanceof LwM2mResource res) {
            return valueOf(res);
        }
        return Optional.empty();
    }

    /**
     * The values of multiple resource {@code /object/instance/resource} in the node found at {@code path}, by resource
     * instance id; empty when absent or not a multiple resource.
     */
    static Optional<Map<Integer, Object>> resourceValues(LwM2mPath path, LwM2mNode node, int object, int instance,
            int resource) {
        if (path == null || node == null || path.isRoot() || path.getObjectId() != object) {
            return Optional.empty();
        }
        LwM2mResource found = null;
        if (path.isObject() && node instanceof LwM2mObject obj) {
            LwM2mObjectInstance objectInstance = obj.getInstance(instance);
            found = objectInstance == null ? null : objectInstance.getResource(resource);
        } else if (path.getObjectInstanceId() != instance) {
            return Optional.empty();
        } else if (path.isObjectInstance() && node instanceof LwM2mObjectInstance objectInstance) {
            found = objectInstance.getResource(resource);
        } else if (path.isResource() && path.getResourceId() == resource && node instanceof LwM2mResource res) {
            found = res;
        }
        if (found == null || !found.isMultiInstances()) {
            return Optional.empty();
        }
        Map<Integer, Object> values = new TreeMap<>();
        found.getInstances().forEach((id, value) -> values.put(id, value.getValue()));
        return Optional.of(values);
    }

    private static Optional<Object> valueOf(LwM2mResource resource) {
        if (resource == null || resource.isMultiInstances()) {
            return Optional.empty();
        }
        return Optional.ofNullable(resource.getValue());
    }
}
