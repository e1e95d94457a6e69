package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.auth.UserService;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates a request by its dashboard session cookie (only when it carries no Authorization header). The
 * user is looked up on every request (off the event loop), so a disabled account or a changed role takes effect
 * at once; a disabled or deleted user's sessions are ended. An unknown or expired session yields no
 * authentication: pages then redirect to the login page, API calls answer 401.
 */
@Singleton
public class SessionAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    /** Attribute under which the session is kept on the request for the CSRF filter and the pages. */
    public static final String SESSION_ATTRIBUTE = "fleetlet.dashboard.session";

    private final DashboardSessions sessions;
    private final UserService users;
    private final Scheduler blocking;

    public SessionAuthenticationFetcher(DashboardSessions sessions, UserService users,
                                        @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.sessions = sessions;
        this.users = users;
        this.blocking = Schedulers.fromExecutorService(executor);
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        Optional<DashboardSessions.Session> session = SessionCookies.sessionId(request).flatMap(sessions::find);
        if (session.isEmpty()) {
            return Mono.empty();
        }
        DashboardSessions.Session s = session.get();
        return Mono.fromCallable(() -> users.find(s.username()))
                .subscribeOn(blocking)
                .flatMap(u -> {
                    if (u.isEmpty() || u.get().disabled()) {
                        sessions.invalidateUser(s.username());
                        return Mono.empty();
                    }
                    return Mono.just(Authentication.build(u.get().username(), List.of(u.get().role().name()),
                            Map.<String, Object>of("via", "session")));
                });
    }
}
