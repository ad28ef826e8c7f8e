package cn.callbox.hub.testing;

import org.springframework.context.annotation.Bean;

import cn.callbox.hub.device.CallBoxPresence;

/**
 * For a test slice whose code needs a {@link CallBoxPresence} (the registry's API) but whose test looks at no box's
 * presence: every box is {@link CallBoxPresence.Presence#UNKNOWN}, never seen. {@code @Import} it into the slice.
 *
 * <p>A plain class, not a {@code @Configuration}: no component scan (the whole hub's included) picks it up.
 */
public class UnseenBoxesPresence {

    @Bean
    CallBoxPresence fakePresence() {
        return endpoint -> CallBoxPresence.Presence.UNKNOWN;
    }
}
