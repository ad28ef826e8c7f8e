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
 * <p>
 * A Start of the {@code test} pattern (the console's siren test) is an audible test, which a villager must not take
 * for an alarm: it goes to the {@link TestSiren}, which announces the test on the loudspeaker first and sounds the
 * siren after the announcement. The answer comes at once; a busy siren or loudspeaker makes it 4.12 too.
 */
final class SirenEnabler extends BaseInstanceEnabler {

    private static final long MAX_SECONDS = 3_600;

    /** Sounds the {@code test} pattern for a while, or says why not (returns false). */
    @FunctionalInterface
    interface TestSiren {
        boolean start(Duration sirenFor);
    }

    private final Siren siren;
    private final TestSiren testSiren;
    private SirenPattern pattern;
    private long durationSeconds;

    /** A siren whose test pattern sounds at once, unannounced (a box without a loudspeaker). */
    SirenEnabler(Siren siren, Duration defaultDuration) {
        this(siren, defaultDuration, sirenFor -> siren.start(SirenPattern.TEST, sirenFor));
    }

    /** @param testSiren how a Start of the {@code test} pattern sounds: announced first, on a box with a loudspeaker */
    SirenEnabler(Siren siren, Duration defaultDuration, TestSiren testSiren) {
        super(0);
        this.siren = siren;
        this.testSiren = testSiren;
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
        boolean started = startPattern == SirenPattern.TEST ? testSiren.start(Duration.ofSeconds(seconds))
                : siren.start(startPattern, Duration.ofSeconds(seconds));
        if (!started) {
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
        if (asked == SirenPattern.TEST) {
            return "siren test not started: the siren or the loudspeaker is busy, and a test is announced first";
        }
        return "the siren has sounded for its maximum on-time; it must be silent before it sounds again";
    }
}
