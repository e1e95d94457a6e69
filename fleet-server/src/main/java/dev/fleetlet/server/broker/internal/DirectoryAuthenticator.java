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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every CONNECT through the {@link ClientDirectory}, off the broker threads (secret
 * verification may be slow), and grants the protocol ACL as default permissions with default DENY.
 * Every path ends in an explicit success or failure: never the broker's permissive default.
 */
final class DirectoryAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(DirectoryAuthenticator.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ClientDirectory directory;
    private final Executor executor;

    DirectoryAuthenticator(ClientDirectory directory, Executor executor) {
        this.directory = directory;
        this.executor = executor;
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
        Async<SimpleAuthOutput> async = output.async(TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE, "authentication timed out");
        try {
            executor.execute(() -> {
                try {
                    decide(input, output, clientId, username.get(), secret);
                } finally {
                    Arrays.fill(secret, (byte) 0);
                    async.resume();
                }
            });
        } catch (RejectedExecutionException e) {
            Arrays.fill(secret, (byte) 0);
            output.failAuthentication(ConnackReasonCode.SERVER_BUSY, "server busy");
            async.resume();
        }
    }

    private void decide(SimpleAuthInput input, SimpleAuthOutput output, String clientId, String username, byte[] secret) {
        Optional<ClientPrincipal> principal;
        try {
            principal = directory.authenticate(clientId, username, secret);
        } catch (RuntimeException e) {
            log.error("mqtt connect refused clientId={} reason=directory-error error={}", clientId, e.toString());
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
