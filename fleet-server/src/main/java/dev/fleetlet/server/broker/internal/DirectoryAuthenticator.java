package dev.fleetlet.server.broker.internal;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import dev.fleetlet.server.broker.BrokerSettings;
import dev.fleetlet.server.broker.CertificateDirectory;
import dev.fleetlet.server.broker.ClientDirectory;
import dev.fleetlet.server.broker.ClientPrincipal;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every CONNECT through the {@link ClientDirectory}, off the broker threads (secret
 * verification may be slow), and grants the protocol ACL as default permissions with default DENY.
 * Every path ends in an explicit success or failure: never the broker's permissive default.
 *
 * <p>Each CONNECT gets exactly one decision. The authenticator keeps its own deadline
 * ({@code fleetlet.mqtt.auth-timeout}): when it passes first, the client is refused with
 * SERVER_UNAVAILABLE and the timeout is counted ({@code fleetlet.mqtt.auth.timeouts}); the directory's answer
 * arriving later is then dropped without touching the output (counted as {@code fleetlet.mqtt.auth.late}),
 * and a request still waiting for a worker when its deadline passed is not sent to the directory at all, so a
 * connect burst does not spend CPU on clients that gave up. The broker's own async timeout is set a grace
 * period beyond this deadline, as a backstop only.
 *
 * <p>With TLS client authentication ({@code fleetlet.mqtt.tls.client-auth}), a client that presented a
 * certificate during the handshake is authenticated by it alone through the {@link CertificateDirectory} (its
 * password, if any, is ignored; a user name, if any, must equal the client id). In {@code required} mode a
 * device that authenticates with a password only is refused (NOT_AUTHORIZED); service accounts keep their
 * passwords.
 */
final class DirectoryAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(DirectoryAuthenticator.class);
    /** How much longer than our own deadline the broker's async fallback waits. */
    static final Duration BROKER_GRACE = Duration.ofSeconds(5);

    private final ClientDirectory directory;
    private final Executor executor;
    private final Duration timeout;
    private final Executor deadlines;
    private final MqttMetrics metrics;
    private volatile CertificateDirectory certificates;
    private volatile BrokerSettings.ClientAuth clientAuth = BrokerSettings.ClientAuth.NONE;

    DirectoryAuthenticator(ClientDirectory directory, Executor executor, Duration timeout, MqttMetrics metrics) {
        this.directory = directory;
        this.executor = executor;
        this.timeout = timeout;
        this.metrics = metrics;
        this.deadlines = CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, Runnable::run);
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        Optional<String> username = connect.getUserName();
        Optional<ByteBuffer> password = connect.getPassword();
        Optional<X509Certificate[]> chain = clientCertificate(input);
        if (chain.isPresent()) {
            String claimed = username.filter(u -> !u.isEmpty()).orElse(clientId);
            decideAsync(input, output, clientId, claimed, true, () -> certificates.authenticate(clientId, chain.get()), () -> { });
            return;
        }
        if (username.isEmpty() || username.get().isEmpty() || password.isEmpty() || !password.get().hasRemaining()) {
            log.info("mqtt connect refused clientId={} reason=missing-credentials", clientId);
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "user name and password required");
            return;
        }
        byte[] secret = bytes(password.get());
        String user = username.get();
        decideAsync(input, output, clientId, user, false, () -> directory.authenticate(clientId, user, secret),
                () -> Arrays.fill(secret, (byte) 0));
    }

    /** Checks TLS client certificates with {@code certificates} in {@code mode}; set before the broker starts. */
    void useCertificates(CertificateDirectory certificates, BrokerSettings.ClientAuth mode) {
        this.certificates = certificates;
        this.clientAuth = mode;
    }

    private Optional<X509Certificate[]> clientCertificate(SimpleAuthInput input) {
        if (certificates == null || clientAuth == BrokerSettings.ClientAuth.NONE) {
            return Optional.empty();
        }
        Optional<ClientTlsInformation> tls = input.getConnectionInformation().getClientTlsInformation();
        if (tls.isEmpty()) {
            return Optional.empty();
        }
        Optional<X509Certificate[]> chain = tls.get().getClientCertificateChain().filter(c -> c.length > 0);
        if (chain.isPresent()) {
            return chain;
        }
        return tls.get().getClientCertificate().map(c -> new X509Certificate[] {c});
    }

    private void decideAsync(SimpleAuthInput input, SimpleAuthOutput output, String clientId, String username,
                             boolean byCertificate, Supplier<Optional<ClientPrincipal>> lookup, Runnable cleanup) {
        Async<SimpleAuthOutput> async = output.async(timeout.plus(BROKER_GRACE), TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE, "authentication timed out");
        AtomicBoolean decided = new AtomicBoolean();
        deadlines.execute(() -> {
            if (decided.compareAndSet(false, true)) {
                metrics.authTimedOut();
                log.info("mqtt connect refused clientId={} reason=auth-timeout timeoutMs={}", clientId, timeout.toMillis());
                output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "authentication timed out");
                async.resume();
            }
        });
        try {
            executor.execute(() -> {
                try {
                    if (!decided.get()) {
                        decide(input, output, clientId, username, byCertificate, lookup, decided, async);
                    }
                } finally {
                    cleanup.run();
                }
            });
        } catch (RejectedExecutionException e) {
            cleanup.run();
            if (decided.compareAndSet(false, true)) {
                metrics.authRejectedBusy();
                output.failAuthentication(ConnackReasonCode.SERVER_BUSY, "server busy");
                async.resume();
            }
        }
    }

    private void decide(SimpleAuthInput input, SimpleAuthOutput output, String clientId, String username,
                        boolean byCertificate, Supplier<Optional<ClientPrincipal>> lookup, AtomicBoolean decided,
                        Async<SimpleAuthOutput> async) {
        Optional<ClientPrincipal> principal;
        RuntimeException error = null;
        try {
            principal = lookup.get();
        } catch (RuntimeException e) {
            principal = Optional.empty();
            error = e;
        }
        if (!decided.compareAndSet(false, true)) {
            metrics.authLate();
            log.debug("mqtt auth decision after the deadline dropped clientId={}", clientId);
            return;
        }
        try {
            apply(input, output, clientId, username, byCertificate, principal, error);
        } finally {
            async.resume();
        }
    }

    private void apply(SimpleAuthInput input, SimpleAuthOutput output, String clientId, String username,
                       boolean byCertificate, Optional<ClientPrincipal> principal, RuntimeException error) {
        if (error != null) {
            log.error("mqtt connect refused clientId={} reason=directory-error error={}", clientId, error.toString());
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "authentication unavailable");
            return;
        }
        if (principal.isEmpty() && byCertificate) {
            log.info("mqtt connect refused clientId={} reason=bad-client-certificate", clientId);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "client certificate not accepted");
            return;
        }
        if (principal.isEmpty()) {
            log.info("mqtt connect refused clientId={} username={} reason=bad-credentials", clientId, username);
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            return;
        }
        ClientPrincipal p = principal.get();
        if (p instanceof ClientPrincipal.Device d && !(d.deviceId().equals(clientId) && d.deviceId().equals(username))) {
            log.info("mqtt connect refused clientId={} username={} reason=client-id-mismatch", clientId, username);
            output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "a device must connect with client id = user name = device id");
            return;
        }
        if (p instanceof ClientPrincipal.Device && !byCertificate && clientAuth == BrokerSettings.ClientAuth.REQUIRED) {
            log.info("mqtt connect refused clientId={} reason=certificate-required", clientId);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "devices must authenticate with a client certificate");
            return;
        }
        Principals.remember(input.getConnectionInformation(), p);
        output.getDefaultPermissions().addAll(Principals.permissions(Principals.rules(p)));
        output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
