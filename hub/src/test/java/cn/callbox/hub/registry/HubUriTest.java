package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;

import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.firmware.FirmwareProperties;
import cn.callbox.hub.system.HubProperties;

/** Which hub URI an enrolled box is given ({@link CallBoxEnrolmentController#hubUri}). */
class HubUriTest {

    private static HubProperties properties(String publicUri) {
        return new HubProperties(Path.of("data"), "houshan", new HubProperties.Lwm2m(5684, null, "0.0.0.0", publicUri),
                new HubProperties.Mqtt(null, 0, "127.0.0.1", null, null, Duration.ofMinutes(15)),
                new HubProperties.Dispatch(2, 5, Duration.ofSeconds(60), Duration.ofSeconds(180)),
                new HubProperties.Influx(null, "callbox"));
    }

    private static CallBoxEnrolmentController controller(String publicUri, Integer boundPort) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (boundPort != null) {
            beans.addBean("lwm2m", new DeviceEndpoint() {
                @Override
                public URI secureUri() {
                    return URI.create("coaps://0.0.0.0:" + boundPort);
                }

                @Override
                public Optional<URI> plainUri() {
                    return Optional.empty();
                }
            });
        }
        return new CallBoxEnrolmentController(null, null, beans.getBeanProvider(DeviceEndpoint.class),
                properties(publicUri), beans.getBeanProvider(FirmwareProperties.class));
    }

    private static MockHttpServletRequest request(String host) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/callboxes");
        request.setServerName(host);
        request.setServerPort(8080);
        return request;
    }

    @Test
    void the_host_the_installer_called_and_the_port_the_server_is_bound_to() {
        assertThat(controller(null, 41234).hubUri(request("hub.houshan.local")))
                .isEqualTo("coaps://hub.houshan.local:41234");
        assertThat(controller(null, 41234).hubUri(request("192.168.1.10")))
                .isEqualTo("coaps://192.168.1.10:41234");
        assertThat(controller(null, 41234).hubUri(request("[::1]"))).isEqualTo("coaps://[::1]:41234");
    }

    @Test
    void the_configured_port_without_a_running_server_and_the_public_uri_when_set() {
        assertThat(controller(null, null).hubUri(request("hub"))).isEqualTo("coaps://hub:5684");
        assertThat(controller("coaps://callbox.example.cn:5684", 41234).hubUri(request("10.0.0.2")))
                .isEqualTo("coaps://callbox.example.cn:5684");
    }
}
