package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.auth.User;
import dev.fleetlet.server.auth.UserService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dashboard sign-in and sign-out. {@code GET /ui/login} shows the form; {@code POST /ui/login} checks the password
 * with {@link UserService} (same accounts as HTTP Basic), starts a session and redirects (303) to {@code next} or the
 * overview; a wrong password or a disabled user redirects back to the form with {@code error=1} and the same
 * message for both. A login POST whose Origin header names another site is refused with 403.
 * {@code GET /} redirects to the dashboard. {@code POST /ui/logout} ends the session (CSRF-checked like every state-changing request) and clears the cookies.
 */
@Controller
@Hidden
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LoginController {

    public static final String LOGIN_PATH = "/ui/login";
    static final String HOME = "/ui";
    private static final Pattern SAFE_NEXT = Pattern.compile("/ui(/[A-Za-z0-9._~/-]*)?(\\?[A-Za-z0-9=&%._~,+-]*)?");
    private static final Logger log = LoggerFactory.getLogger(LoginController.class);

    private final UserService users;
    private final DashboardSessions sessions;
    private final DashboardAssets assets;

    public LoginController(UserService users, DashboardSessions sessions, DashboardAssets assets) {
        this.users = users;
        this.sessions = sessions;
        this.assets = assets;
    }

    /** The server's root opens the dashboard (which asks for a sign-in first). */
    @Get
    public HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create(HOME));
    }

    @Get(value = LOGIN_PATH, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> form(@Nullable @QueryValue String error, @Nullable @QueryValue String next) {
        String message = error == null ? "" : "<p class=\"error\" role=\"alert\">Wrong user name or password.</p>";
        String html = assets.text("login.html")
                .replace("{{error}}", message)
                .replace("{{next}}", Html.escape(safeNext(next)));
        return DashboardAssets.noStore(HttpResponse.ok(html).contentType(MediaType.TEXT_HTML_TYPE));
    }

    @Post(value = LOGIN_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> login(HttpRequest<?> request, @Body LoginForm form) {
        if (!sameOrigin(request)) {
            log.warn("dashboard login refused: cross-site origin={}", request.getHeaders().get(HttpHeaders.ORIGIN));
            return HttpResponse.status(io.micronaut.http.HttpStatus.FORBIDDEN).body("cross-site login refused");
        }
        String next = safeNext(form.next());
        Optional<User> user = form.username() == null || form.password() == null ? Optional.empty()
                : users.authenticate(form.username().trim(), form.password());
        if (user.isEmpty()) {
            log.info("dashboard login failed username={}", form.username());
            return HttpResponse.seeOther(URI.create(LOGIN_PATH + "?error=1&next=" + java.net.URLEncoder.encode(next,
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        DashboardSessions.Session s = sessions.create(user.get().username());
        log.info("dashboard login username={} role={}", user.get().username(), user.get().role());
        boolean secure = request.isSecure();
        MutableHttpResponse<?> r = HttpResponse.seeOther(URI.create(next));
        r.cookie(SessionCookies.session(s.id(), secure));
        r.cookie(SessionCookies.csrf(s.csrfToken(), secure));
        return DashboardAssets.noStore(r);
    }

    @Post("/ui/logout")
    public HttpResponse<?> logout(HttpRequest<?> request) {
        SessionCookies.sessionId(request).ifPresent(sessions::invalidate);
        boolean secure = request.isSecure();
        MutableHttpResponse<?> r = HttpResponse.seeOther(URI.create(LOGIN_PATH));
        r.cookie(SessionCookies.expired(SessionCookies.SESSION, secure));
        r.cookie(SessionCookies.expired(SessionCookies.CSRF, secure));
        return r;
    }

    /** {@code next} when it is a plain dashboard path, else the overview (no open redirects). */
    static String safeNext(String next) {
        return next != null && SAFE_NEXT.matcher(next).matches() && !next.contains("//") ? next : HOME;
    }

    private static boolean sameOrigin(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (origin == null || origin.isBlank()) {
            return true; // same-origin form posts from old browsers; SameSite=Strict still protects the session
        }
        String host = request.getHeaders().get(HttpHeaders.HOST);
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && host.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
