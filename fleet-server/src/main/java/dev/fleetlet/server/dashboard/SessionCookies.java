package dev.fleetlet.server.dashboard;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import java.time.Duration;
import java.util.Optional;

/**
 * Names and flags of the dashboard cookies. The session cookie is HttpOnly; the CSRF cookie is readable by the
 * page's scripts (they copy it into the {@value #CSRF_HEADER} header). Both are SameSite=Strict, path {@code /},
 * and Secure when the request came over TLS.
 */
public final class SessionCookies {

    public static final String SESSION = "FLEETLET_SESSION";
    public static final String CSRF = "FLEETLET_CSRF";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookies() {
    }

    /** The session id from the request's cookie, when there is one and no Authorization header. */
    public static Optional<String> sessionId(HttpRequest<?> request) {
        if (request.getHeaders().contains(HttpHeaders.AUTHORIZATION)) {
            return Optional.empty(); // Basic/bearer clients are never authenticated (or CSRF-checked) by a cookie
        }
        return request.getCookies().findCookie(SESSION).map(Cookie::getValue).filter(v -> !v.isBlank());
    }

    static Cookie session(String id, boolean secure) {
        return Cookie.of(SESSION, id).httpOnly(true).sameSite(SameSite.Strict).secure(secure).path("/");
    }

    static Cookie csrf(String token, boolean secure) {
        return Cookie.of(CSRF, token).httpOnly(false).sameSite(SameSite.Strict).secure(secure).path("/");
    }

    static Cookie expired(String name, boolean secure) {
        return Cookie.of(name, "").maxAge(Duration.ZERO).sameSite(SameSite.Strict).secure(secure).path("/")
                .httpOnly(SESSION.equals(name));
    }
}
