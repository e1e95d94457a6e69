package dev.fleetlet.server.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * HTTP Basic for operators: checks user name and password against {@link UserService} on the blocking
 * executor (the password hash is slow on a cache miss). The authentication carries the user's role.
 */
@Singleton
public class BasicAuthProvider<B> implements HttpRequestExecutorAuthenticationProvider<B> {

    private final UserService users;

    public BasicAuthProvider(UserService users) {
        this.users = users;
    }

    @Override
    public String getExecutorName() {
        return TaskExecutors.BLOCKING;
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        return users.authenticate(auth.getIdentity(), auth.getSecret())
                .map(u -> AuthenticationResponse.success(u.username(), List.of(u.role().name()), Map.of("via", "basic")))
                .orElseGet(() -> AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
    }
}
