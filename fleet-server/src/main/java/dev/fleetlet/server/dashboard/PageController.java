package dev.fleetlet.server.dashboard;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's page routes. Each answers the same HTML shell naming the page; the page's ES module
 * ({@code /ui/static/pages/<page>.js}) then loads its data from the API. Without a signed-in user every page
 * redirects (303) to the login form with {@code next} set to the page asked for. Route parameters (device id,
 * rollout id) are passed to the module through a {@code data-} attribute, HTML-escaped.
 */
@Controller("/ui")
@Hidden
@Secured(SecurityRule.IS_ANONYMOUS)
public class PageController {

    /** The pages; {@link #module} names the script under {@code /ui/static/pages/}. */
    public enum Page {
        OVERVIEW("overview", "Overview"), DEVICES("devices", "Devices"), DEVICE("device", "Device"),
        TOKENS("tokens", "Provisioning tokens"), SERVICE_ACCOUNTS("service-accounts", "Service accounts"),
        USERS("users", "Users & API tokens"), RELEASES("releases", "Releases"), ROLLOUTS("rollouts", "Rollouts"),
        ROLLOUT("rollout", "Rollout"), NEW_ROLLOUT("rollout-new", "New rollout"), AUDIT("audit", "Audit log");

        final String module;
        final String title;

        Page(String module, String title) {
            this.module = module;
            this.title = title;
        }
    }

    private final DashboardAssets assets;

    public PageController(DashboardAssets assets) {
        this.assets = assets;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> overview(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.OVERVIEW, "");
    }

    @Get(value = "/devices", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> devices(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.DEVICES, "");
    }

    @Get(value = "/devices/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> device(HttpRequest<?> request, @Nullable Authentication who, String id) {
        return page(request, who, Page.DEVICE, id);
    }

    @Get(value = "/tokens", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> tokens(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.TOKENS, "");
    }

    @Get(value = "/service-accounts", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> serviceAccounts(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.SERVICE_ACCOUNTS, "");
    }

    @Get(value = "/users", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> users(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.USERS, "");
    }

    @Get(value = "/releases", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> releases(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.RELEASES, "");
    }

    @Get(value = "/rollouts", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> rollouts(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.ROLLOUTS, "");
    }

    @Get(value = "/rollouts/new", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> newRollout(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.NEW_ROLLOUT, "");
    }

    @Get(value = "/rollouts/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> rollout(HttpRequest<?> request, @Nullable Authentication who, String id) {
        return page(request, who, Page.ROLLOUT, id);
    }

    @Get(value = "/audit", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> audit(HttpRequest<?> request, @Nullable Authentication who) {
        return page(request, who, Page.AUDIT, "");
    }

    private HttpResponse<String> page(HttpRequest<?> request, @Nullable Authentication who, Page page, String param) {
        if (who == null) {
            String next = URLEncoder.encode(request.getPath(), StandardCharsets.UTF_8);
            return DashboardAssets.noStore(HttpResponse.seeOther(URI.create(LoginController.LOGIN_PATH + "?next=" + next)));
        }
        String role = who.getRoles().isEmpty() ? "VIEWER" : who.getRoles().iterator().next();
        String html = assets.text("shell.html")
                .replace("{{importmap}}", assets.importMap())
                .replace("{{uplotcss}}", assets.uplotCss())
                .replace("{{title}}", Html.escape(page.title))
                .replace("{{page}}", page.module)
                .replace("{{param}}", Html.escape(param))
                .replace("{{user}}", Html.escape(who.getName()))
                .replace("{{role}}", Html.escape(role));
        return assets.secureHeaders(HttpResponse.ok(html).contentType(MediaType.TEXT_HTML_TYPE));
    }
}
