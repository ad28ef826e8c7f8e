package cn.callbox.hub.lwm2m;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Lets the registry end a rotated or retired key's sessions on the LwM2M server ({@link LeshanCallBoxSessions}). */
@Configuration(proxyBeanMethods = false)
class CallBoxSessionsConfiguration {

    @Bean
    LeshanCallBoxSessions callBoxSessions(LeshanServerLifecycle leshanServer) {
        return new LeshanCallBoxSessions(leshanServer, 5_000);
    }
}
