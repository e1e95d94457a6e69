package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Problem;
import dev.fleetlet.server.api.ProblemHandler;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CSRF protection for requests authenticated by the dashboard session cookie: every POST, PUT, PATCH and DELETE
 * that carries a live session cookie (and no Authorization header) must send the session's CSRF token in the
 * {@value SessionCookies#CSRF_HEADER} header, else it is refused with 403 before any controller runs. Requests
 * with Basic or bearer credentials are not affected (a browser never adds those to a forged request on its own).
 * The login form itself is exempt (no session yet); it checks the Origin header instead.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CsrfFilter implements Ordered {

    private static final Logger log = LoggerFactory.getLogger(CsrfFilter.class);
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final DashboardSessions sessions;

    public CsrfFilter(DashboardSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (SAFE.contains(request.getMethod()) || LoginController.LOGIN_PATH.equals(request.getPath())) {
            return null;
        }
        Optional<DashboardSessions.Session> session = SessionCookies.sessionId(request).flatMap(sessions::find);
        if (session.isEmpty()) {
            return null; // no live session: security answers 401 unless other credentials are present
        }
        String presented = request.getHeaders().get(SessionCookies.CSRF_HEADER);
        if (DashboardSessions.csrfMatches(session.get(), presented)) {
            return null;
        }
        log.warn("csrf token missing or wrong method={} path={} user={}", request.getMethod(), request.getPath(),
                session.get().username());
        Problem p = Problem.of(ErrorCode.FORBIDDEN, "missing or wrong " + SessionCookies.CSRF_HEADER
                + " header for a request authenticated by the dashboard session", List.of());
        return HttpResponse.status(ErrorCode.FORBIDDEN.status()).contentType(ProblemHandler.PROBLEM_JSON_TYPE).body(p);
    }
}
