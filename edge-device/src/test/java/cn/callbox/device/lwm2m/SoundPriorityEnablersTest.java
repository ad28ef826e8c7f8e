package cn.callbox.device.lwm2m;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.model.LwM2mModelRepository;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.request.argument.InvalidArgumentException;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.WriteResponse;
import org.junit.jupiter.api.Test;

import cn.callbox.device.announce.Messages;
import cn.callbox.device.announce.SimulatedLoudspeaker;
import cn.callbox.device.call.CallStatus;
import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.lamp.Lamp;
import cn.callbox.device.siren.RelaySiren;
import cn.callbox.device.time.ManualScheduler;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.ObjectModels;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * What the hub hears when it asks for a sound the box will not give: Start (33002/0/3) and Announce (33003/0/4) of a
 * lower priority than what sounds are answered 4.12 Precondition Failed, and the alarm goes on.
 */
class SoundPriorityEnablersTest {

    private final ManualScheduler timing = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    private final RelaySiren siren = new RelaySiren(new Line(), timing, Duration.ofSeconds(300));
    private final SirenEnabler sirenEnabler = modelled(new SirenEnabler(siren, Duration.ofSeconds(180)),
            SirenObject.ID);
    private final SimulatedLoudspeaker loudspeaker = new SimulatedLoudspeaker(timing);
    private final Messages messages = Messages.chinese("后山");
    private final LoudspeakerEnabler loudspeakerEnabler = modelled(new LoudspeakerEnabler(loudspeaker, messages),
            LoudspeakerObject.ID);
    private final CallStatus callStatus = new CallStatus(new StillLamp(), loudspeaker, messages);

    @Test
    void a_remote_siren_test_during_a_panic_alarm_is_answered_precondition_failed_and_changes_nothing()
            throws InvalidArgumentException {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180)); // as PanicResponder does on a press
        timing.advance(Duration.ofSeconds(7));

        ExecuteResponse answer = sirenEnabler.execute(null, SirenObject.START, sirenArguments("test", "5"));

        assertEquals(ResponseCode.PRECONDITION_FAILED, answer.getCode());
        assertTrue(answer.getErrorMessage().contains("alarm"), answer.getErrorMessage());
        timing.advance(Duration.ofSeconds(8));
        assertTrue(siren.isSounding());
        assertEquals(SirenPattern.ALARM, siren.pattern());
        assertEquals("alarm", ((LwM2mSingleResource) sirenEnabler.read(null, SirenObject.PATTERN).getContent()).getValue(),
                "the refused pattern does not become the written one");
        assertEquals(180L, ((LwM2mSingleResource) sirenEnabler.read(null, SirenObject.DURATION).getContent()).getValue());
    }

    @Test
    void the_hubs_alarm_siren_after_the_boxs_own_is_taken_and_stop_still_stops_the_alarm()
            throws InvalidArgumentException {
        siren.start(SirenPattern.ALARM, Duration.ofSeconds(180));
        timing.advance(Duration.ofSeconds(2));

        assertEquals(ResponseCode.CHANGED,
                sirenEnabler.execute(null, SirenObject.START, sirenArguments("alarm", "180")).getCode());
        assertEquals(ResponseCode.CHANGED, sirenEnabler.execute(null, SirenObject.STOP, null).getCode());
        assertFalse(siren.isSounding(), "an explicit Stop silences even an alarm");
        assertEquals(ResponseCode.CHANGED,
                sirenEnabler.execute(null, SirenObject.START, sirenArguments("test", "5")).getCode());
        assertEquals(SirenPattern.TEST, siren.pattern());
    }

    @Test
    void a_remote_siren_test_goes_to_the_announced_test_and_a_busy_one_is_answered_precondition_failed()
            throws InvalidArgumentException {
        List<Duration> asked = new ArrayList<>();
        boolean[] free = { true };
        SirenEnabler announcing = modelled(new SirenEnabler(siren, Duration.ofSeconds(180), sirenFor -> {
            asked.add(sirenFor);
            return free[0];
        }), SirenObject.ID);

        assertEquals(ResponseCode.CHANGED,
                announcing.execute(null, SirenObject.START, sirenArguments("test", "5")).getCode());
        assertEquals(List.of(Duration.ofSeconds(5)), asked);
        assertFalse(siren.isSounding(), "the siren waits for the test's announcement");

        free[0] = false;
        ExecuteResponse busy = announcing.execute(null, SirenObject.START, sirenArguments("test", "5"));
        assertEquals(ResponseCode.PRECONDITION_FAILED, busy.getCode());
        assertTrue(busy.getErrorMessage().contains("announced"), busy.getErrorMessage());
        assertEquals(ResponseCode.CHANGED,
                announcing.execute(null, SirenObject.START, sirenArguments("alarm", "60")).getCode());
        assertEquals(2, asked.size(), "an alarm never waits for an announcement");
        assertTrue(siren.isSounding());
    }

    @Test
    void an_ordinary_announcement_does_not_cut_into_the_boxs_call_speech() {
        callStatus.change(CallState.SENDING); // a press: "正在呼叫，请稍候。这里是后山……"
        String callSpeech = loudspeaker.lastText();
        timing.advance(Duration.ofSeconds(2));

        write(LoudspeakerObject.TEXT, "赶集的乡亲们请注意：谨防电信诈骗。");
        ExecuteResponse ordinary = loudspeakerEnabler.execute(null, LoudspeakerObject.ANNOUNCE,
                Arguments.emptyArguments());

        assertEquals(ResponseCode.PRECONDITION_FAILED, ordinary.getCode());
        assertEquals(callSpeech, loudspeaker.lastText());
        assertTrue(loudspeaker.isPlaying());
    }

    @Test
    void the_hubs_alarm_announcement_may_follow_the_call_speech_and_a_drill_one_may_not_cut_into_it()
            throws InvalidArgumentException {
        callStatus.change(CallState.SENDING);
        timing.advance(Duration.ofSeconds(1));

        write(LoudspeakerObject.TEXT, "紧急呼叫！后山发生紧急情况。");
        assertEquals(ResponseCode.CHANGED, loudspeakerEnabler.execute(null, LoudspeakerObject.ANNOUNCE,
                priority("alarm")).getCode());
        assertEquals("紧急呼叫！后山发生紧急情况。", loudspeaker.lastText());

        write(LoudspeakerObject.TEXT, "拉动测试！");
        assertEquals(ResponseCode.PRECONDITION_FAILED, loudspeakerEnabler.execute(null, LoudspeakerObject.ANNOUNCE,
                priority("drill")).getCode());
        assertEquals(ResponseCode.BAD_REQUEST, loudspeakerEnabler.execute(null, LoudspeakerObject.ANNOUNCE,
                priority("loud")).getCode());

        timing.advance(Duration.ofSeconds(60)); // the alarm announcement has been said
        assertFalse(loudspeaker.isPlaying());
        assertEquals(ResponseCode.CHANGED, loudspeakerEnabler.execute(null, LoudspeakerObject.ANNOUNCE,
                Arguments.emptyArguments()).getCode(), "once it is over, an ordinary announcement plays");
        assertEquals("拉动测试！", loudspeaker.lastText());
    }

    @Test
    void stop_ends_an_alarm_announcement_too() {
        callStatus.change(CallState.SENDING);
        assertEquals(ResponseCode.CHANGED, loudspeakerEnabler.execute(null, LoudspeakerObject.STOP, null).getCode());
        assertFalse(loudspeaker.isPlaying());

        write(LoudspeakerObject.TEXT, "喇叭测试。");
        assertEquals(ResponseCode.CHANGED, loudspeakerEnabler.execute(null, LoudspeakerObject.ANNOUNCE,
                Arguments.emptyArguments()).getCode());
    }

    /** The enablers push changes, which needs their object's model, as the client gives them. */
    private static <T extends BaseInstanceEnabler> T modelled(T enabler, int objectId) {
        enabler.setModel(new LwM2mModelRepository(ObjectModels.all()).getLwM2mModel().getObjectModel(objectId));
        return enabler;
    }

    private void write(int resource, String text) {
        WriteResponse written = loudspeakerEnabler.write(null, true, resource,
                LwM2mSingleResource.newStringResource(resource, text));
        assertTrue(written.isSuccess());
    }

    private static Arguments sirenArguments(String pattern, String seconds) throws InvalidArgumentException {
        return Arguments.builder().addArgument(SirenObject.START_ARG_PATTERN, pattern)
                .addArgument(SirenObject.START_ARG_DURATION, seconds).build();
    }

    private static Arguments priority(String priority) throws InvalidArgumentException {
        return Arguments.builder().addArgument(LoudspeakerObject.ANNOUNCE_ARG_PRIORITY, priority).build();
    }

    /** The siren's relay line. */
    private static final class Line implements BinaryOutput {
        private volatile boolean on;

        @Override
        public void set(boolean value) {
            on = value;
        }

        @Override
        public boolean isOn() {
            return on;
        }
    }

    /** A lamp that only remembers what it shows. */
    private static final class StillLamp implements Lamp {
        private volatile CallState showing = CallState.IDLE;

        @Override
        public void show(CallState state) {
            showing = state;
        }

        @Override
        public CallState showing() {
            return showing;
        }
    }
}
