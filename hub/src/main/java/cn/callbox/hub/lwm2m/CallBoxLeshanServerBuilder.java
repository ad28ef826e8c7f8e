package cn.callbox.hub.lwm2m;

import org.eclipse.leshan.core.endpoint.EndPointUriHandler;
import org.eclipse.leshan.core.link.lwm2m.LwM2mLinkParser;
import org.eclipse.leshan.core.node.codec.LwM2mDecoder;
import org.eclipse.leshan.core.node.codec.LwM2mEncoder;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.LeshanServerBuilder;
import org.eclipse.leshan.server.endpoint.LwM2mServerEndpointsProvider;
import org.eclipse.leshan.server.model.LwM2mModelProvider;
import org.eclipse.leshan.server.queue.ClientAwakeTimeProvider;
import org.eclipse.leshan.server.registration.RegistrationDataExtractor;
import org.eclipse.leshan.server.registration.RegistrationIdProvider;
import org.eclipse.leshan.server.registration.RegistrationStore;
import org.eclipse.leshan.server.security.Authorizer;
import org.eclipse.leshan.server.send.SendHandler;
import org.eclipse.leshan.servers.ServerEndpointNameProvider;
import org.eclipse.leshan.servers.security.SecurityStore;
import org.eclipse.leshan.servers.security.ServerSecurityInfo;

/**
 * A {@link LeshanServerBuilder} whose server handles Sends with {@link AlarmSendHandler} (alarms recorded before the
 * box is answered). Leshan's documented extension point: {@code createServer} and {@code createSendHandler}.
 */
final class CallBoxLeshanServerBuilder extends LeshanServerBuilder {

    @Override
    public CallBoxLeshanServer build() {
        return (CallBoxLeshanServer) super.build();
    }

    @Override
    protected LeshanServer createServer(LwM2mServerEndpointsProvider endpointsProvider,
            RegistrationStore registrationStore, SecurityStore securityStore, Authorizer authorizer,
            LwM2mModelProvider modelProvider, LwM2mEncoder encoder, LwM2mDecoder decoder, boolean noQueueMode,
            ClientAwakeTimeProvider awakeTimeProvider, RegistrationIdProvider registrationIdProvider,
            RegistrationDataExtractor registrationDataExtractor, LwM2mLinkParser linkParser,
            EndPointUriHandler uriHandler, ServerSecurityInfo serverSecurityInfo,
            ServerEndpointNameProvider endpointNameProvider, boolean updateRegistrationOnNotification,
            boolean updateRegistrationOnSend) {
        return new CallBoxLeshanServer(endpointsProvider, registrationStore, securityStore, authorizer, modelProvider,
                encoder, decoder, noQueueMode, awakeTimeProvider, registrationIdProvider, registrationDataExtractor,
                updateRegistrationOnNotification, updateRegistrationOnSend, linkParser, uriHandler,
                serverSecurityInfo, endpointNameProvider);
    }

    /** The Leshan server with the call-box Send handling. */
    static final class CallBoxLeshanServer extends LeshanServer {

        CallBoxLeshanServer(LwM2mServerEndpointsProvider endpointsProvider, RegistrationStore registrationStore,
                SecurityStore securityStore, Authorizer authorizer, LwM2mModelProvider modelProvider,
                LwM2mEncoder encoder, LwM2mDecoder decoder, boolean noQueueMode,
                ClientAwakeTimeProvider awakeTimeProvider, RegistrationIdProvider registrationIdProvider,
                RegistrationDataExtractor registrationDataExtractor, boolean updateRegistrationOnNotification,
                boolean updateRegistrationOnSend, LwM2mLinkParser linkParser, EndPointUriHandler uriHandler,
                ServerSecurityInfo serverSecurityInfo, ServerEndpointNameProvider endpointNameProvider) {
            super(endpointsProvider, registrationStore, securityStore, authorizer, modelProvider, encoder, decoder,
                    noQueueMode, awakeTimeProvider, registrationIdProvider, registrationDataExtractor,
                    updateRegistrationOnNotification, updateRegistrationOnSend, linkParser, uriHandler,
                    serverSecurityInfo, endpointNameProvider);
        }

        /** Called by the super constructor: no field of this class may be used here. */
        @Override
        protected SendHandler createSendHandler(RegistrationStore registrationStore, Authorizer authorizer,
                boolean updateRegistrationOnSend) {
            return new AlarmSendHandler(registrationStore, authorizer, updateRegistrationOnSend);
        }

        /** The Send handler made by {@link #createSendHandler}, which Leshan exposes only as its interface. */
        AlarmSendHandler alarmSendHandler() {
            return (AlarmSendHandler) getSendService();
        }
    }
}
