package cn.callbox.protocol.lwm2m;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.leshan.core.model.InvalidDDFFileException;
import org.eclipse.leshan.core.model.InvalidModelException;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.core.model.ObjectModel;

/**
 * The LwM2M object models every call box and hub speaks: the OMA core objects that ship with Leshan (0 Security,
 * 1 Server, 3 Device, 4 Connectivity Monitoring, 5 Firmware Update, 6 Location...) plus the DDF files of this module
 * (3347 Push Button, which Leshan M18 does not ship, and the custom objects 33000–33004).
 */
public final class ObjectModels {

    /** DDF files under {@code /models/} on the class path, validated against the OMA schema when loaded. */
    public static final List<String> DDF_FILES = List.of("3347.xml", "33000.xml", "33001.xml", "33002.xml",
            "33003.xml", "33004.xml");

    private ObjectModels() {
    }

    /**
     * Loads the core objects and the call-box DDFs.
     *
     * @throws IllegalStateException when a DDF shipped in this module is missing or invalid: a build defect, never a
     *         runtime condition
     */
    public static List<ObjectModel> all() {
        List<ObjectModel> models = new ArrayList<>(ObjectLoader.loadAllDefault());
        models.removeIf(model -> model.id == PushButtonObject.ID);
        models.addAll(callBoxModels());
        return models;
    }

    /** Only the DDFs of this module, validated. */
    public static List<ObjectModel> callBoxModels() {
        try {
            return ObjectLoader.loadDdfResources("/models/", DDF_FILES.toArray(String[]::new), true);
        } catch (InvalidDDFFileException | InvalidModelException | IOException | RuntimeException e) {
            throw new IllegalStateException("call-box object models are invalid: " + e.getMessage(), e);
        }
    }
}
