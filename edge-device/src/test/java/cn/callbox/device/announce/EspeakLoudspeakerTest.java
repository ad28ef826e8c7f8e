package cn.callbox.device.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class EspeakLoudspeakerTest {

    @Test
    void a_missing_speech_program_is_survived_and_the_text_remembered() throws Exception {
        try (EspeakLoudspeaker loudspeaker = new EspeakLoudspeaker("/nonexistent/espeak-ng")) {
            CountDownLatch changes = new CountDownLatch(2); // playing, then done
            loudspeaker.onChange(changes::countDown);

            loudspeaker.announce("正在呼叫，请稍候。", 2);

            assertEquals(true, changes.await(5, TimeUnit.SECONDS), "playing started and ended");
            assertFalse(loudspeaker.isPlaying());
            assertEquals("正在呼叫，请稍候。", loudspeaker.lastText());
            loudspeaker.announce("再来一次", 1); // a second failure is not logged again and does not throw
        }
    }
}
