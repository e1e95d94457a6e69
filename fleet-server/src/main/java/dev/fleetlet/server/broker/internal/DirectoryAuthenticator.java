package dev.fleetlet.server.broker.internal;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import dev.fleetlet.server.broker.ClientDirectory;
import dev.fleetlet.server.broker.ClientPrincipal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
        if (username.isEmpty() || username.get().isEmpty() || password.isEmpty() || !password.get().hasRemaining()) {
            log.info("mqtt connect refused clientId={} reason=missing-credentials", clientId);
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "user name and password required");
            return;
        }
        byte[] secret = bytes(password.get());
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
                        decide(input, output, clientId, username.get(), secret, decided, async);
                    }
                } finally {
                    Arrays.fill(secret, (byte) 0);
                }
            });
        } catch (RejectedExecutionException e) {
            Arrays.fill(secret, (byte) 0);
            if (decided.compareAndSet(false, true)) {
                metrics.authRejectedBusy();
                output.failAuthentication(ConnackReasonCode.SERVER_BUSY, "server busy");
                async.resume();
            }
        }
    }

    private void decide(SimpleAuthInput input, SimpleAuthOutput output, String clientId, String username, byte[] secret,
                        AtomicBoolean decided, Async<SimpleAuthOutput> async) {
        Optional<ClientPrincipal> principal;
        RuntimeException error = null;
        try {
            principal = directory.authenticate(clientId, username, secret);
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
            apply(input, output, clientId, username, principal, error);
        } finally {
            async.resume();
        }
    }

    private void apply(SimpleAuthInput input, SimpleAuthOutput output, String clientId, String username,
                       Optional<ClientPrincipal> principal, RuntimeException error) {
        if (error != null) {
            log.error("mqtt connect refused clientId={} reason=directory-error error={}", clientId, error.toString());
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "authentication unavailable");
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
