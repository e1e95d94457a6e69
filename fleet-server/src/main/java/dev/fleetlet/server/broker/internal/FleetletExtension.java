package dev.fleetlet.server.broker.internal;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.server.broker.BrokerSettings;
import dev.fleetlet.server.broker.CertificateDirectory;
import dev.fleetlet.server.broker.ClientDirectory;
import dev.fleetlet.server.broker.DeviceStateSink;
import dev.fleetlet.server.broker.LogChunkSink;
import dev.fleetlet.server.broker.PresenceListener;
import dev.fleetlet.server.broker.TelemetrySink;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The single embedded extension of the broker: authentication and authorization
 * ({@link DirectoryAuthenticator}), the inbound publish interceptor for every client
 * ({@link InboundPublishInterceptor}) and the client lifecycle listener ({@link LifecycleListener}). It
 * also hands out the broker's in-process {@link PublishService} once started.
 */
public final class FleetletExtension implements ExtensionMain {

    private final DirectoryAuthenticator authenticator;
    private final InboundPublishInterceptor interceptor;
    private final LifecycleListener lifecycle;
    private volatile PublishService publishService;
    private volatile ClientService clientService;
    private volatile RetainedMessageStore retainedMessages;

    public FleetletExtension(BrokerSettings settings, ClientDirectory directory, PresenceListener presence,
                             TelemetrySink telemetry, PendingCommands commands, ProtocolCodec codec, MqttMetrics metrics,
                             Clock clock, Executor authExecutor, Duration authTimeout) {
        this(settings, directory, presence, telemetry, commands, codec, metrics, clock, authExecutor, authTimeout,
                DeviceStateSink.NONE, LogChunkSink.NONE);
    }

    /** As above, with the sinks for reported states and device events, and for log chunks. */
    public FleetletExtension(BrokerSettings settings, ClientDirectory directory, PresenceListener presence,
                             TelemetrySink telemetry, PendingCommands commands, ProtocolCodec codec, MqttMetrics metrics,
                             Clock clock, Executor authExecutor, Duration authTimeout, DeviceStateSink states,
                             LogChunkSink logs) {
        this.authenticator = new DirectoryAuthenticator(directory, authExecutor, authTimeout, metrics);
        this.interceptor = new InboundPublishInterceptor(codec, telemetry, presence, commands, metrics, clock,
                settings.ingestTimeout(), states, logs);
        this.lifecycle = new LifecycleListener(presence, metrics, clock);
    }

    /**
     * Turns on authentication by TLS client certificate ({@code fleetlet.mqtt.tls.client-auth} optional or
     * required), checked by {@code certificates}. Call before the broker starts.
     */
    public void useCertificates(CertificateDirectory certificates, BrokerSettings.ClientAuth mode) {
        authenticator.useCertificates(certificates, mode);
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.initializerRegistry().setClientInitializer(
                (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(interceptor));
        Services.eventRegistry().setClientLifecycleEventListener(providerInput -> lifecycle);
        publishService = Services.publishService();
        clientService = Services.clientService();
        retainedMessages = Services.retainedMessageStore();
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        publishService = null;
        clientService = null;
        retainedMessages = null;
    }

    /** The broker's publish service, or null when the extension is not running. */
    public PublishService publishService() {
        return publishService;
    }

    /** The broker's client service (connected clients, disconnects), or null when the extension is not running. */
    public ClientService clientService() {
        return clientService;
    }

    /** The broker's retained message store, or null when the extension is not running. */
    public RetainedMessageStore retainedMessages() {
        return retainedMessages;
    }
}
