package cn.callbox.device.lwm2m;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.ResponseCode;
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
 * <p>
 * A Start the siren refuses (a pattern of higher priority is sounding, e.g. a siren test during a villager's alarm;
 * or the maximum on-time is reached) is answered 4.12 Precondition Failed with the reason, and its arguments do not
 * become the written values: the box is fine and did what it must, the request just did not fit what it is doing.
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
            startPattern = pattern;
            seconds = durationSeconds;
            Optional<String> patternArgument = Resources.argument(arguments, SirenObject.START_ARG_PATTERN);
            if (patternArgument.isPresent()) {
                Optional<SirenPattern> parsed = WireName.parse(SirenPattern.class, patternArgument.get());
                if (parsed.isEmpty()) {
                    return ExecuteResponse.badRequest("argument 0 must be alarm, drill or test");
                }
                startPattern = parsed.get();
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
                seconds = parsed;
            }
        }
        if (!siren.start(startPattern, Duration.ofSeconds(seconds))) {
            return new ExecuteResponse(ResponseCode.PRECONDITION_FAILED, refusal(startPattern));
        }
        synchronized (this) {
            pattern = startPattern;
            durationSeconds = seconds;
        }
        return ExecuteResponse.success();
    }

    private String refusal(SirenPattern asked) {
        SirenPattern sounding = siren.pattern();
        if (siren.isSounding() && sounding != asked) {
            return "siren busy: pattern " + sounding.wireName() + " is sounding and has priority over "
                    + asked.wireName() + "; it keeps sounding";
        }
        return "the siren has sounded for its maximum on-time; it must be silent before it sounds again";
    }
}
