package cn.callbox.device.lwm2m;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

import cn.callbox.device.siren.Siren;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * 33002/0, the siren. Pattern and duration are written ahead of Start, or given as Start arguments
 * ({@code 0='pattern'}, {@code 1='seconds'}) which then also become the written values. Pushes sounding and pattern.
 */
final class SirenEnabler extends BaseInstanceEnabler {

    private static final long MAX_SECONDS = 3_600;

    private final Siren siren;
    private SirenPattern pattern;
    private long durationSeconds;

    SirenEnabler(Siren siren, Duration defaultDuration) {
        super(0);
        this.siren = siren;
        this.pattern = siren.pattern();
        this.durationSeconds = defaultDuration.toSeconds();
        siren.onChange(() -> fireResourcesChange(getResourcePaths(SirenObject.SOUNDING, SirenObject.PATTERN)));
    }

    @Override
    public synchronized ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case SirenObject.SOUNDING -> ReadResponse.success(resourceId, siren.isSounding());
            case SirenObject.PATTERN -> ReadResponse.success(resourceId, pattern.wireName());
            case SirenObject.DURATION -> ReadResponse.success(resourceId, durationSeconds);
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public synchronized WriteResponse write(LwM2mServer server, boolean replace, int resourceId,
            LwM2mResource value) {
        switch (resourceId) {
            case SirenObject.PATTERN -> {
                Optional<SirenPattern> parsed = Resources.string(value)
                        .flatMap(text -> WireName.parse(SirenPattern.class, text));
                if (parsed.isEmpty()) {
                    return WriteResponse.badRequest("pattern must be alarm, drill or test");
                }
                pattern = parsed.get();
                return WriteResponse.success();
            }
            case SirenObject.DURATION -> {
                Optional<Long> seconds = Resources.integer(value).filter(s -> s > 0 && s <= MAX_SECONDS);
                if (seconds.isEmpty()) {
                    return WriteResponse.badRequest("duration must be 1-" + MAX_SECONDS + " seconds");
                }
                durationSeconds = seconds.get();
                return WriteResponse.success();
            }
            default -> {
                return super.write(server, replace, resourceId, value);
            }
        }
    }

    @Override
    public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
        if (resourceId == SirenObject.STOP) {
            siren.stop();
            return ExecuteResponse.success();
        }
        if (resourceId != SirenObject.START) {
            return super.execute(server, resourceId, arguments);
        }
        SirenPattern startPattern;
        long seconds;
        synchronized (this) {
            Optional<String> patternArgument = Resources.argument(arguments, SirenObject.START_ARG_PATTERN);
            if (patternArgument.isPresent()) {
                Optional<SirenPattern> parsed = WireName.parse(SirenPattern.class, patternArgument.get());
                if (parsed.isEmpty()) {
                    return ExecuteResponse.badRequest("argument 0 must be alarm, drill or test");
                }
                pattern = parsed.get();
            }
            Optional<String> durationArgument = Resources.argument(arguments, SirenObject.START_ARG_DURATION);
            if (durationArgument.isPresent()) {
                long parsed;
                try {
                    parsed = Long.parseLong(durationArgument.get().trim());
                } catch (NumberFormatException e) {
                    return ExecuteResponse.badRequest("argument 1 must be whole seconds");
                }
                if (parsed <= 0 || parsed > MAX_SECONDS) {
                    return ExecuteResponse.badRequest("argument 1 must be 1-" + MAX_SECONDS + " seconds");
                }
                durationSeconds = parsed;
            }
            startPattern = pattern;
            seconds = durationSeconds;
        }
        siren.start(startPattern, Duration.ofSeconds(seconds));
        return ExecuteResponse.success();
    }
}
