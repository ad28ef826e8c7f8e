package cn.callbox.device.lwm2m;

import java.util.Optional;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

import cn.callbox.device.announce.Loudspeaker;
import cn.callbox.device.announce.Messages;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;

/**
 * 33003/0, the loudspeaker. Announce plays the written clip when one is set (a named text shipped with the firmware),
 * else the written text, {@code repeat} times, at the priority of its optional argument {@code 0} ({@code alarm},
 * {@code drill}, {@code routine}; absent: routine, so that the hub's ordinary and scheduled announcements need no
 * change). While a higher-priority announcement plays, Announce is answered 4.12 Precondition Failed and the playing
 * one goes on.
 */
final class LoudspeakerEnabler extends BaseInstanceEnabler {

    private static final int MAX_TEXT = 500;
    private static final long MAX_REPEAT = 10;

    private final Loudspeaker loudspeaker;
    private final Messages messages;
    private String text = "";
    private String clip = "";
    private long repeat = 1;

    LoudspeakerEnabler(Loudspeaker loudspeaker, Messages messages) {
        super(0);
        this.loudspeaker = loudspeaker;
        this.messages = messages;
        loudspeaker.onChange(() -> fireResourceChange(LoudspeakerObject.PLAYING));
    }

    @Override
    public synchronized ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case LoudspeakerObject.PLAYING -> ReadResponse.success(resourceId, loudspeaker.isPlaying());
            case LoudspeakerObject.TEXT -> ReadResponse.success(resourceId, text);
            case LoudspeakerObject.CLIP -> ReadResponse.success(resourceId, clip);
            case LoudspeakerObject.REPEAT -> ReadResponse.success(resourceId, repeat);
            case LoudspeakerObject.VOLUME -> ReadResponse.success(resourceId, (long) loudspeaker.volume());
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public synchronized WriteResponse write(LwM2mServer server, boolean replace, int resourceId,
            LwM2mResource value) {
        switch (resourceId) {
            case LoudspeakerObject.TEXT -> {
                Optional<String> written = Resources.string(value).filter(t -> t.length() <= MAX_TEXT);
                if (written.isEmpty()) {
                    return WriteResponse.badRequest("text must be a string of at most " + MAX_TEXT + " characters");
                }
                text = written.get();
                return WriteResponse.success();
            }
            case LoudspeakerObject.CLIP -> {
                Optional<String> written = Resources.string(value);
                if (written.isEmpty()) {
                    return WriteResponse.badRequest("clip must be a string");
                }
                if (!written.get().isEmpty() && messages.clip(written.get()).isEmpty()) {
                    return WriteResponse.badRequest("unknown clip '" + written.get() + "'");
                }
                clip = written.get();
                return WriteResponse.success();
            }
            case LoudspeakerObject.REPEAT -> {
                Optional<Long> written = Resources.integer(value).filter(r -> r >= 1 && r <= MAX_REPEAT);
                if (written.isEmpty()) {
                    return WriteResponse.badRequest("repeat must be 1-" + MAX_REPEAT);
                }
                repeat = written.get();
                return WriteResponse.success();
            }
            case LoudspeakerObject.VOLUME -> {
                Optional<Long> written = Resources.integer(value).filter(v -> v >= 0 && v <= 100);
                if (written.isEmpty()) {
                    return WriteResponse.badRequest("volume must be 0-100 (%)");
                }
                loudspeaker.setVolume(written.get().intValue());
                return WriteResponse.success();
            }
            default -> {
                return super.write(server, replace, resourceId, value);
            }
        }
    }

    @Override
    public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
        if (resourceId == LoudspeakerObject.STOP) {
            loudspeaker.stop();
            return ExecuteResponse.success();
        }
        if (resourceId != LoudspeakerObject.ANNOUNCE) {
            return super.execute(server, resourceId, arguments);
        }
        SoundPriority priority = SoundPriority.ROUTINE;
        Optional<String> priorityArgument = Resources.argument(arguments, LoudspeakerObject.ANNOUNCE_ARG_PRIORITY);
        if (priorityArgument.isPresent()) {
            Optional<SoundPriority> parsed = WireName.parse(SoundPriority.class, priorityArgument.get());
            if (parsed.isEmpty()) {
                return ExecuteResponse.badRequest("argument 0 must be alarm, drill or routine");
            }
            priority = parsed.get();
        }
        String say;
        int times;
        synchronized (this) {
            say = clip.isEmpty() ? text : messages.clip(clip).orElse(text);
            times = (int) repeat;
        }
        if (say.isBlank()) {
            return ExecuteResponse.badRequest("nothing to announce: write text or clip first");
        }
        if (!loudspeaker.announce(say, times, priority)) {
            return new ExecuteResponse(ResponseCode.PRECONDITION_FAILED, "loudspeaker busy: an announcement of "
                    + "higher priority than " + priority.wireName() + " is playing; it goes on");
        }
        return ExecuteResponse.success();
    }
}
