package cn.callbox.hub.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Every {@code callbox.*} setting of the hub, with its default, in one place (ARCHITECTURE.md, hub properties). Set
 * them on the command line ({@code --callbox.lwm2m.port=5784}) or in the environment ({@code CALLBOX_LWM2M_PORT}).
 *
 * @param dataDir database files, outbox, generated secrets and demo device configs
 * @param township township id, the first level of every MQTT topic
 * @param lwm2m the LwM2M server
 * @param mqtt the broker
 * @param dispatch who is alerted and when escalation happens
 * @param influx readiness history store (unset: history goes to the database)
 */
@Validated
@ConfigurationProperties("callbox")
public record HubProperties(
        @DefaultValue("./data") @NotNull Path dataDir,
        @DefaultValue("houshan") @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}") String township,
        @DefaultValue @Valid Lwm2m lwm2m,
        @DefaultValue @Valid Mqtt mqtt,
        @DefaultValue @Valid Dispatch dispatch,
        @DefaultValue @Valid Influx influx) {

    /**
     * @param port LwM2M over DTLS (UDP); 0 picks a free port
     * @param coapPort plain CoAP for development only; null (the default) keeps it off
     * @param address address to bind both endpoints to
     * @param publicUri the hub URI given to enrolled boxes, e.g. {@code coaps://hub.example.cn:5684}, when they reach
     *        the hub at another address than installers do; null: the host the installer called and the bound port
     */
    public record Lwm2m(
            @DefaultValue("5684") @Min(0) @Max(65535) int port,
            @Min(0) @Max(65535) Integer coapPort,
            @DefaultValue("0.0.0.0") @NotBlank String address,
            String publicUri) {
    }

    /**
     * @param url external broker ({@code tcp://host:port}); null runs the embedded broker
     * @param port embedded broker port; 0 picks a free port
     * @param bindAddress embedded broker address (loopback unless an installer opens it on purpose)
     * @param username hub's account on an external broker
     * @param password hub's password on an external broker
     * @param alertExpiry how long an undelivered alert stays useful (MQTT 5 message expiry)
     */
    public record Mqtt(
            String url,
            @DefaultValue("1883") @Min(0) @Max(65535) int port,
            @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
            String username,
            String password,
            @DefaultValue("15m") @NotNull Duration alertExpiry) {
    }

    /**
     * @param supportUnits how many nearest other units are alerted beside the primary unit
     * @param supportRadiusKm how far a support unit may be from the box
     * @param escalationDelay how long the primary unit has to acknowledge before the next nearest unit is alerted
     * @param sirenDuration how long alerted boxes sound their siren
     */
    public record Dispatch(
            @DefaultValue("2") @Min(0) @Max(20) int supportUnits,
            @DefaultValue("5") @Min(0) double supportRadiusKm,
            @DefaultValue("60s") @NotNull Duration escalationDelay,
            @DefaultValue("180s") @NotNull Duration sirenDuration) {
    }

    /**
     * @param url InfluxDB 1.x HTTP API; null keeps readiness history in the database
     * @param database database name
     */
    public record Influx(String url, @DefaultValue("callbox") @NotBlank String database) {
    }
}
