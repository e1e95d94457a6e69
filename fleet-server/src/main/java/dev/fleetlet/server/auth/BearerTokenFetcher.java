package dev.fleetlet.server.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates {@code Authorization: Bearer fat_<id>_<secret>} with {@link ApiTokenService}, off the event
 * loop. A header that is not a bearer token, or an invalid token, yields no authentication (the request is then
 * anonymous and secured endpoints answer 401).
 */
@Singleton
public class BearerTokenFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    private static final String PREFIX = "Bearer ";

    private final ApiTokenService tokens;
    private final Scheduler blocking;

    public BearerTokenFetcher(ApiTokenService tokens, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.tokens = tokens;
        this.blocking = Schedulers.fromExecutorService(executor);
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Mono.empty();
        }
        String token = header.substring(PREFIX.length()).trim();
        return Mono.fromCallable(() -> tokens.authenticate(token))
                .subscribeOn(blocking)
                .flatMap(u -> u.map(user -> Mono.just(Authentication.build(user.username(), List.of(user.role().name()),
                        Map.<String, Object>of("via", "api-token")))).orElseGet(Mono::empty));
    }
}
