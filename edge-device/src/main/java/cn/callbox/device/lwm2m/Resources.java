package cn.callbox.device.lwm2m;

import java.util.Optional;

import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Argument;
import org.eclipse.leshan.core.request.argument.Arguments;

/** Small helpers for values coming from the hub. */
final class Resources {

    private Resources() {
    }

    /** The value of a written single resource as a string, or empty when it is not a string. */
    static Optional<String> string(LwM2mResource resource) {
        return !resource.isMultiInstances() && resource.getValue() instanceof String text ? Optional.of(text)
                : Optional.empty();
    }

    /** The value of a written single resource as a long, or empty when it is not an integer. */
    static Optional<Long> integer(LwM2mResource resource) {
        return !resource.isMultiInstances() && resource.getValue() instanceof Long number ? Optional.of(number)
                : Optional.empty();
    }

    /** The value of execute argument {@code digit}, or empty when absent or given without a value. */
    static Optional<String> argument(Arguments arguments, int digit) {
        if (arguments == null || !arguments.hasDigit(digit)) {
            return Optional.empty();
        }
        Argument argument = arguments.get(digit);
        return Optional.ofNullable(argument.getValue()).filter(value -> !value.isBlank());
    }
}
