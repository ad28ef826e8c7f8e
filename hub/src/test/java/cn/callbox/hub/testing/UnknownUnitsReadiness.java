package cn.callbox.hub.testing;

import java.util.NoSuchElementException;

import org.springframework.context.annotation.Bean;

import cn.callbox.hub.readiness.ReadinessService;

/**
 * For a test slice whose code needs a {@link ReadinessService} (the registry's API) but whose test looks at no unit's
 * readiness: every unit is unknown to it ({@link NoSuchElementException}). {@code @Import} it into the slice.
 *
 * <p>A plain class, not a {@code @Configuration}: no component scan (the whole hub's included) picks it up.
 */
public class UnknownUnitsReadiness {

    @Bean
    ReadinessService fakeReadiness() {
        return unitId -> {
            throw new NoSuchElementException(unitId);
        };
    }
}
