package cn.callbox.device.lwm2m;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.LeshanClientBuilder;
import org.eclipse.leshan.client.engine.DefaultRegistrationEngineFactory;
import org.eclipse.leshan.client.object.Security;
import org.eclipse.leshan.client.object.Server;
import org.eclipse.leshan.client.observer.LwM2mClientObserverAdapter;
import org.eclipse.leshan.client.resource.LwM2mInstanceEnabler;
import org.eclipse.leshan.client.resource.ObjectsInitializer;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.model.LwM2mModelRepository;
import org.eclipse.leshan.core.request.DeregisterRequest;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.leshan.core.request.UpdateRequest;
import org.eclipse.leshan.transport.californium.client.endpoint.CaliforniumClientEndpointsProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coap.CoapClientProtocolProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coaps.CoapsClientProtocolProvider;
import org.tinylog.Logger;

import cn.callbox.device.alarm.AlarmTransport;
import cn.callbox.device.alarm.PressCounter;
import cn.callbox.device.announce.Loudspeaker;
import cn.callbox.device.announce.Messages;
import cn.callbox.device.call.CallStatus;
import cn.callbox.device.config.DeviceConfig;
import cn.callbox.device.firmware.FirmwareUpdater;
import cn.callbox.device.health.BatteryGauge;
import cn.callbox.device.health.SignalMeter;
import cn.callbox.device.locker.Locker;
import cn.callbox.device.panic.PanicButton;
import cn.callbox.device.power.PowerSupply;
import cn.callbox.device.selftest.SelfTest;
import cn.callbox.device.siren.Siren;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.lwm2m.CallStatusObject;
import cn.callbox.protocol.lwm2m.EquipmentLockerObject;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject;
import cn.callbox.protocol.lwm2m.LockerItemObject;
import cn.callbox.protocol.lwm2m.LoudspeakerObject;
import cn.callbox.protocol.lwm2m.ObjectModels;
import cn.callbox.protocol.lwm2m.PushButtonObject;
import cn.callbox.protocol.lwm2m.RegistrationAttributes;
import cn.callbox.protocol.lwm2m.SirenObject;

/**
 * The box's LwM2M client (Leshan): registers with the hub (DTLS PSK, or NoSec for an allowed {@code coap://} URI),
 * server short id {@value #SHORT_SERVER_ID}, lifetime from the configuration (default 300 s) with a registration
 * UPDATE every heartbeat (default 20 s, announced to the hub in the REGISTER as
 * {@link RegistrationAttributes#HEARTBEAT_SECONDS}) so that the hub notices a silent box, exposes the call-box
 * objects and carries alarm records ({@link #alarmTransport()}).
 *
 * <p>Registration is retried forever: after a failed attempt (each waits at most {@code requestTimeout}) Leshan's
 * registration engine waits {@code retryWait} and tries again. {@code onRegistered} runs (on a Leshan thread) after
 * each successful registration and update, so the outbox can flush its backlog. Object 5 (Firmware Update) is served
 * by {@link FirmwareUpdater}: a firmware on trial is confirmed once it has stayed registered, its heartbeats getting
 * through, for its healthy window; a lost registration starts the window again.
 *
 * <p>After a hub restart the engine recovers by itself (its UPDATE times out or is refused, it registers anew); a
 * failed alarm Send only helps it along through {@link HubLinkRecovery}, never while the engine is mid-exchange.
 */
public final class CallBoxClient {

    public static final int SHORT_SERVER_ID = 123;
    /**
     * The version of this jar (its manifest's Implementation-Version, which {@code callbox-provision firmware pack}
     * puts into packages by default), or "0.1.0" when run from classes without a manifest (tests). A firmware slot's
     * manifest wins over this when the box runs from a slot.
     */
    public static final String FIRMWARE_VERSION = jarVersion();

    private final LeshanClient client;
    private final AlarmDataSender sender;
    private final PanicButtonEnabler buttonEnabler;
    private final FirmwareUpdateEnabler firmwareEnabler;
    private final HubLinkRecovery recovery;
    private volatile boolean registered;

    /**
     * The box's parts the objects read and drive.
     *
     * @param battery the battery or UPS gauge (Device 3/0/9); null when the box has none
     * @param modemSignal the cellular modem's signal (object 4, Connectivity Monitoring); null when the box has no modem
     * @param firmware the firmware updater behind object 5; null: one without a firmware folder (it refuses updates)
     * @param power the power supply's AC-OK signal (Device 3/0/6); null when the box has none
     */
    public record Parts(PanicButton button, PressCounter counter, Siren siren, Loudspeaker loudspeaker,
            Messages messages, Locker locker, CallStatus callStatus, SelfTest selfTest, Runnable reboot,
            BatteryGauge battery, SignalMeter modemSignal, FirmwareUpdater firmware, PowerSupply power) {

        /** Parts of a box without AC-OK input. */
        public Parts(PanicButton button, PressCounter counter, Siren siren, Loudspeaker loudspeaker,
                Messages messages, Locker locker, CallStatus callStatus, SelfTest selfTest, Runnable reboot,
                BatteryGauge battery, SignalMeter modemSignal, FirmwareUpdater firmware) {
            this(button, counter, siren, loudspeaker, messages, locker, callStatus, selfTest, reboot, battery,
                    modemSignal, firmware, null);
        }

        /** Parts of a box that cannot update its firmware over the air. */
        public Parts(PanicButton button, PressCounter counter, Siren siren, Loudspeaker loudspeaker,
                Messages messages, Locker locker, CallStatus callStatus, SelfTest selfTest, Runnable reboot,
                BatteryGauge battery, SignalMeter modemSignal) {
            this(button, counter, siren, loudspeaker, messages, locker, callStatus, selfTest, reboot, battery,
                    modemSignal, null);
        }

        /** Parts of a box without battery gauge and modem. */
        public Parts(PanicButton button, PressCounter counter, Siren siren, Loudspeaker loudspeaker,
                Messages messages, Locker locker, CallStatus callStatus, SelfTest selfTest, Runnable reboot) {
            this(button, counter, siren, loudspeaker, messages, locker, callStatus, selfTest, reboot, null, null, null);
        }
    }

    /**
     * Connection timing.
     *
     * @param requestTimeout how long a registration request may take
     * @param retryWait how long to wait between registration attempts
     * @param sendTimeout how long an alarm Send may take before the box reconnects and tries again: short, because
     *        an alarm waiting on a dead DTLS session is an alarm nobody hears
     */
    public record Timing(Duration requestTimeout, Duration retryWait, Duration sendTimeout) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(10));

        public Timing(Duration requestTimeout, Duration retryWait) {
            this(requestTimeout, retryWait, requestTimeout);
        }
    }

    /**
     * Builds the client; nothing is sent before {@link #start()}.
     *
     * @param onRegistered called after each successful registration or update, on a Leshan thread; must return
     *        quickly
     */
    public CallBoxClient(DeviceConfig config, Parts parts, Clock clock, Timing timing, Runnable onRegistered) {
        var models = new LwM2mModelRepository(ObjectModels.all()).getLwM2mModel();
        ObjectsInitializer initializer = new ObjectsInitializer(models);
        String uri = config.hubUri().toString();
        if (config.secure()) {
            initializer.setInstancesForObject(LwM2mId.SECURITY, Security.psk(uri, SHORT_SERVER_ID,
                    config.pskIdentity().getBytes(StandardCharsets.UTF_8), config.pskKey()));
        } else {
            Logger.warn("Connecting to the hub WITHOUT security ({}): development only", uri);
            initializer.setInstancesForObject(LwM2mId.SECURITY, Security.noSec(uri, SHORT_SERVER_ID));
        }
        initializer.setInstancesForObject(LwM2mId.SERVER,
                new Server(SHORT_SERVER_ID, config.timing().lifetime().toSeconds()));
        FirmwareUpdater firmware = parts.firmware() != null ? parts.firmware()
                : new FirmwareUpdater(null, config.firmwareTrustedKeys(), config.firmwareDownloadCas(),
                        FirmwareUpdater.DEFAULT_DOWNLOAD_TIMEOUT,
                        parts.siren()::isSounding, () -> {
                        }, FIRMWARE_VERSION);
        initializer.setInstancesForObject(LwM2mId.DEVICE,
                new DeviceEnabler(config.endpoint(), firmware.runningVersion(), parts.reboot(), clock,
                        parts.selfTest()::errorCodes, parts.battery(), parts.power()));
        firmwareEnabler = new FirmwareUpdateEnabler(firmware);
        initializer.setInstancesForObject(FirmwareUpdateObject.ID, firmwareEnabler);
        if (parts.modemSignal() != null) {
            initializer.setInstancesForObject(LwM2mId.CONNECTIVITY_MONITORING,
                    new ConnectivityEnabler(parts.modemSignal()));
        }
        initializer.setInstancesForObject(LwM2mId.LOCATION,
                new LocationEnabler(config.latitude(), config.longitude(), clock.instant()));
        buttonEnabler = new PanicButtonEnabler(parts.button(), parts.counter());
        initializer.setInstancesForObject(PushButtonObject.ID, buttonEnabler);
        initializer.setInstancesForObject(EquipmentLockerObject.ID,
                new LockerEnabler(parts.locker(), mode -> parts.selfTest().run(mode)));
        List<LwM2mInstanceEnabler> items = new ArrayList<>();
        int instance = 0;
        for (ItemKind kind : parts.locker().kinds()) {
            items.add(new LockerItemEnabler(instance++, parts.locker(), kind));
        }
        if (!items.isEmpty()) {
            initializer.setInstancesForObject(LockerItemObject.ID, items.toArray(LwM2mInstanceEnabler[]::new));
        }
        initializer.setInstancesForObject(SirenObject.ID,
                new SirenEnabler(parts.siren(), config.timing().alarmSiren(), parts.selfTest()::announcedSirenTest));
        initializer.setInstancesForObject(LoudspeakerObject.ID,
                new LoudspeakerEnabler(parts.loudspeaker(), parts.messages()));
        CallStatusEnabler callStatusEnabler = new CallStatusEnabler(parts.callStatus());
        parts.callStatus().onChange(callStatusEnabler::changed);
        initializer.setInstancesForObject(CallStatusObject.ID, callStatusEnabler);
        // our instances are made here with their parts; the hub may not CREATE more
        List<Integer> fixed = new ArrayList<>(List.of(LwM2mId.DEVICE, FirmwareUpdateObject.ID, LwM2mId.LOCATION,
                PushButtonObject.ID, EquipmentLockerObject.ID, LockerItemObject.ID, SirenObject.ID,
                LoudspeakerObject.ID, CallStatusObject.ID));
        if (parts.modemSignal() != null) {
            fixed.add(LwM2mId.CONNECTIVITY_MONITORING);
        }
        for (int id : fixed) {
            initializer.setFactoryForObject(id, (model, instanceId, used) -> {
                throw new IllegalStateException("object " + model.id + " does not accept new instances");
            });
        }

        sender = new AlarmDataSender(timing.sendTimeout());
        LeshanClientBuilder builder = new LeshanClientBuilder(config.endpoint());
        builder.setObjects(initializer.createAll());
        builder.setDataSenders(sender);
        builder.setEncoder(NumericTimeSenMLCborEncoder.lwm2mEncoder());
        DefaultRegistrationEngineFactory engine = new DefaultRegistrationEngineFactory()
                .setRequestTimeoutInMs(timing.requestTimeout().toMillis())
                .setRetryWaitingTimeInMs((int) timing.retryWait().toMillis());
        // the heartbeat: an UPDATE this often, much shorter than the lifetime, so that the hub's supervision sees a
        // silent box within a minute while the registration itself survives several lost updates
        engine.setCommunicationPeriod((int) config.timing().heartbeat().toMillis());
        builder.setRegistrationEngineFactory(engine);
        // tells the hub that this is one of our boxes and how often it is heard: the hub supervises it by this
        // heartbeat instead of by its (much longer) lifetime
        builder.setAdditionalAttributes(Map.of(RegistrationAttributes.HEARTBEAT_SECONDS,
                Long.toString(config.timing().heartbeat().toSeconds())));
        builder.setEndpointsProviders(new CaliforniumClientEndpointsProvider.Builder(new CoapClientProtocolProvider(),
                new CoapsClientProtocolProvider()).build());
        client = builder.build();
        sender.registeredServers(() -> client.getRegisteredServers().values().iterator());
        recovery = new HubLinkRecovery(new HubLinkRecovery.Link() {
            @Override
            public void clearSession() {
                client.getRegisteredServers().values().stream().findFirst()
                        .ifPresent(server -> client.getEndpoint(server).forceReconnection(server, false));
            }

            @Override
            public void updateNow() {
                client.getRegisteredServers().values().stream().findFirst()
                        .ifPresent(client::triggerRegistrationUpdate);
            }

            @Override
            public int registrations() {
                return client.getRegisteredServers().size();
            }
        }, timing.requestTimeout().multipliedBy(3), System::nanoTime);
        sender.onUnanswered(recovery::sendUnanswered);
        sender.onRefused(recovery::sendRefused);
        client.addObserver(new LwM2mClientObserverAdapter() {
            @Override
            public void onRegistrationStarted(LwM2mServer server, RegisterRequest request) {
                recovery.exchangeStarted();
            }

            @Override
            public void onUpdateStarted(LwM2mServer server, UpdateRequest request) {
                recovery.exchangeStarted();
            }

            @Override
            public void onRegistrationSuccess(LwM2mServer server, RegisterRequest request, String registrationId) {
                recovery.succeeded();
                Logger.info("Registered with the hub {} (registration {})", server.getUri(), registrationId);
                registered = true;
                onRegistered.run();
                // the firmware came up and reached its hub: the healthy window of a new firmware on trial opens
                firmwareEnabler.registered();
            }

            @Override
            public void onRegistrationFailure(LwM2mServer server, RegisterRequest request, ResponseCode code,
                    String message, Exception cause) {
                recovery.failed();
                registered = false;
                firmwareEnabler.connectionLost();
                Logger.warn("Registration with {} failed: {} {}; retrying in {} s", server.getUri(), code,
                        message != null ? message : cause != null ? cause.toString() : "",
                        timing.retryWait().toMillis() / 1000.0);
            }

            @Override
            public void onRegistrationTimeout(LwM2mServer server, RegisterRequest request) {
                recovery.failed();
                registered = false;
                firmwareEnabler.connectionLost();
                Logger.warn("Registration with {} timed out; retrying in {} s", server.getUri(),
                        timing.retryWait().toMillis() / 1000.0);
            }

            @Override
            public void onUpdateSuccess(LwM2mServer server, UpdateRequest request) {
                recovery.succeeded();
                registered = true;
                onRegistered.run();
                // a heartbeat: a firmware on trial that has been healthy for its whole window is confirmed
                firmwareEnabler.heartbeat();
            }

            @Override
            public void onUpdateFailure(LwM2mServer server, UpdateRequest request, ResponseCode code, String message,
                    Exception cause) {
                recovery.failed();
                Logger.warn("Registration update with {} failed: {}", server.getUri(), code);
                registered = !client.getRegisteredServers().isEmpty();
                firmwareEnabler.connectionLost();
            }

            @Override
            public void onUpdateTimeout(LwM2mServer server, UpdateRequest request) {
                recovery.failed();
                Logger.warn("Registration update with {} timed out", server.getUri());
                registered = !client.getRegisteredServers().isEmpty();
                firmwareEnabler.connectionLost();
            }

            @Override
            public void onDeregistrationSuccess(LwM2mServer server, DeregisterRequest request) {
                registered = false;
                firmwareEnabler.connectionLost();
            }

            @Override
            public void onUnexpectedError(Throwable error) {
                Logger.error(error, "LwM2M client error");
            }
        });
    }

    /** Pushes the panic button's state and counter to the hub's observations; call after each handled press. */
    public Runnable pressHandled() {
        return buttonEnabler::pressed;
    }

    /** The transport for the outbox: LwM2M Send to the registered hub. */
    public AlarmTransport alarmTransport() {
        return sender;
    }

    public void start() {
        Logger.info("LwM2M client starting");
        client.start();
    }

    /** Whether the box is registered with the hub now. */
    public boolean isRegistered() {
        return registered && !client.getRegisteredServers().isEmpty();
    }

    /** Deregisters (waiting briefly) and releases the endpoint. */
    public void stop() {
        client.destroy(true);
    }

    private static String jarVersion() {
        String version = CallBoxClient.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "0.1.0" : version;
    }
}
