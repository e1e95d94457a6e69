package dev.fleetlet.server.dashboard;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.support.FleetTestServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardSecurityTest {

    @TempDir
    static Path dataDir;
    static FleetTestServer server;
    static String deviceId;
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A signed-in browser: its session and CSRF cookie values. */
    record Browser(String session, String csrf) {
        String cookie() {
            return SessionCookies.SESSION + "=" + session + "; " + SessionCookies.CSRF + "=" + csrf;
        }
    }

    @BeforeAll
    static void start() {
        server = FleetTestServer.start(dataDir, Map.of());
        assertThat(server.post("/api/v1/users", admin(),
                "{\"username\":\"vera\",\"password\":\"viewer-password-1\",\"role\":\"VIEWER\"}").statusCode()).isEqualTo(201);
        String token = server.createToken("lab", null);
        deviceId = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-DASH-1", "s".repeat(40))))
                .get("deviceId").asText();
        server.post("/api/v1/enroll", null, enrollment(token, "SER-DASH-2", "t".repeat(40)));
        assertThat(server.send("PATCH", "/api/v1/devices/" + deviceId, admin(),
                "{\"name\":\"greenhouse-7\",\"labels\":{\"site\":\"north\"}}").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> postLogin(String user, String password, Map<String, String> extraHeaders) {
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&next=%2Fui%2Fdevices";
        Map<String, String> h = new java.util.HashMap<>(extraHeaders);
        h.put("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", "/ui/login", h, form);
    }

    static Browser login(String user, String password) {
        HttpResponse<String> r = postLogin(user, password, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return new Browser(cookie(r, SessionCookies.SESSION).orElseThrow(), cookie(r, SessionCookies.CSRF).orElseThrow());
    }

    static Optional<String> cookie(HttpResponse<?> r, String name) {
        return setCookie(r, name).map(h -> h.substring(name.length() + 1, h.indexOf(';') < 0 ? h.length() : h.indexOf(';')));
    }

    static Optional<String> setCookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("set-cookie").stream().filter(h -> h.startsWith(name + "=")).findFirst();
    }

    @Test
    void redirectsAnonymousPageRequestsToTheLoginFormAndAnswersApiCallsWith401() {
        HttpResponse<String> page = send("GET", "/ui/devices/" + deviceId, Map.of(), null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("location")).hasValue("/ui/login?next=%2Fui%2Fdevices%2F" + deviceId);
        assertThat(send("GET", "/ui", Map.of(), null).statusCode()).isEqualTo(303);
        assertThat(send("GET", "/", Map.of(), null).headers().firstValue("location")).hasValue("/ui");
        assertThat(send("GET", "/ui/api/overview", Map.of(), null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/devices", Map.of("Cookie", SessionCookies.SESSION + "=forged"), null).statusCode())
                .isEqualTo(401);
        assertThat(send("GET", LoginController.LOGIN_PATH, Map.of(), null).body()).contains("name=\"password\"");
    }

    @Test
    void servesScriptsAndTheChartLibraryWithoutSignIn() {
        HttpResponse<String> app = send("GET", "/ui/static/app.js", Map.of(), null);
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.body()).contains("X-CSRF-Token");
        Browser b = login("admin", FleetTestServer.ADMIN_PASSWORD);
        String shell = send("GET", "/ui", Map.of("Cookie", b.cookie()), null).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"uplot\":\"(/ui/vendor/uplot/[^\"]+)\"").matcher(shell);
        assertThat(m.find()).as(shell).isTrue();
        String uplot = m.group(1);
        HttpResponse<String> lib = send("GET", uplot, Map.of(), null);
        assertThat(lib.statusCode()).isEqualTo(200);
        assertThat(lib.body()).contains("export");
    }

    @Test
    void refusesAWrongPasswordWithoutStartingASession() {
        HttpResponse<String> r = postLogin("admin", "wrong-password", Map.of());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).startsWith("/ui/login?error=1"));
        assertThat(setCookie(r, SessionCookies.SESSION)).isEmpty();
    }

    @Test
    void setsHttpOnlyStrictCookiesAndOpensPagesAfterSignIn() {
        HttpResponse<String> r = postLogin("admin", FleetTestServer.ADMIN_PASSWORD, Map.of());
        assertThat(r.headers().firstValue("location")).hasValue("/ui/devices");
        assertThat(setCookie(r, SessionCookies.SESSION)).hasValueSatisfying(c -> assertThat(c.toLowerCase())
                .contains("httponly").contains("samesite=strict").contains("path=/").doesNotContain("secure"));
        assertThat(setCookie(r, SessionCookies.CSRF)).hasValueSatisfying(c -> assertThat(c.toLowerCase())
                .contains("samesite=strict").doesNotContain("httponly"));
        Browser b = login("admin", FleetTestServer.ADMIN_PASSWORD);
        HttpResponse<String> page = send("GET", "/ui/devices", Map.of("Cookie", b.cookie()), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-page=\"devices\"").contains("data-role=\"ADMIN\"");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(c -> assertThat(c).contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("server-timing")).hasValueSatisfying(v -> assertThat(v).matches("app;dur=\\d+\\.\\d\\d"));
        HttpResponse<String> me = send("GET", "/ui/api/me", Map.of("Cookie", b.cookie()), null);
        assertThat(json(me).get("username").asText()).isEqualTo("admin");
        assertThat(me.headers().firstValue("server-timing")).isPresent();
    }

    @Test
    void refusesAStateChangeByTheSessionCookieWithoutTheCsrfHeader() {
        Browser b = login("admin", FleetTestServer.ADMIN_PASSWORD);
        String patch = "{\"labels\":{\"csrf\":\"probe\"}}";
        Map<String, String> json = Map.of("Cookie", b.cookie(), "Content-Type", "application/json");
        HttpResponse<String> without = send("PATCH", "/api/v1/devices/" + deviceId, json, patch);
        assertThat(without.statusCode()).as(without.body()).isEqualTo(403);
        assertThat(json(without).get("detail").asText()).contains("X-CSRF-Token");
        Map<String, String> wrong = new java.util.HashMap<>(json);
        wrong.put(SessionCookies.CSRF_HEADER, "not-the-token");
        assertThat(send("PATCH", "/api/v1/devices/" + deviceId, wrong, patch).statusCode()).isEqualTo(403);
        assertThat(json(server.get("/api/v1/devices/" + deviceId, admin())).get("labels").has("csrf")).isFalse();
        Map<String, String> right = new java.util.HashMap<>(json);
        right.put(SessionCookies.CSRF_HEADER, b.csrf());
        HttpResponse<String> ok = send("PATCH", "/api/v1/devices/" + deviceId, right, patch);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).get("labels").get("csrf").asText()).isEqualTo("probe");
    }

    @Test
    void letsBasicClientsChangeStateWithoutACsrfToken() {
        HttpResponse<String> r = server.send("PATCH", "/api/v1/devices/" + deviceId, admin(), "{\"labels\":{\"tool\":\"cli\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void refusesAViewersStateChangeEvenWithTheCsrfToken() {
        Browser v = login("vera", "viewer-password-1");
        assertThat(send("GET", "/ui/api/overview", Map.of("Cookie", v.cookie()), null).statusCode()).isEqualTo(200);
        HttpResponse<String> r = send("PATCH", "/api/v1/devices/" + deviceId, Map.of("Cookie", v.cookie(),
                "Content-Type", "application/json", SessionCookies.CSRF_HEADER, v.csrf()), "{\"labels\":{\"x\":\"y\"}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(send("GET", "/ui/users", Map.of("Cookie", v.cookie()), null).body()).contains("data-role=\"VIEWER\"");
    }

    @Test
    void endsTheSessionOnLogout() {
        Browser b = login("admin", FleetTestServer.ADMIN_PASSWORD);
        assertThat(send("POST", "/ui/logout", Map.of("Cookie", b.cookie()), null).statusCode()).isEqualTo(403);
        HttpResponse<String> out = send("POST", "/ui/logout", Map.of("Cookie", b.cookie(), SessionCookies.CSRF_HEADER, b.csrf()), null);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(send("GET", "/ui", Map.of("Cookie", b.cookie()), null).statusCode()).isEqualTo(303);
        assertThat(send("GET", "/ui/api/me", Map.of("Cookie", b.cookie()), null).statusCode()).isEqualTo(401);
    }

    @Test
    void refusesALoginPostedFromAnotherSite() {
        HttpResponse<String> r = postLogin("admin", FleetTestServer.ADMIN_PASSWORD, Map.of("Origin", "https://evil.example"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(setCookie(r, SessionCookies.SESSION)).isEmpty();
    }

    @Test
    void listsAuditEntriesNewestFirstFilteredByRolloutAndActor() {
        // given a rollout created by alice, a gate decision of the engine, bob's abort, and another rollout's entry
        dev.fleetlet.server.db.Jdbc jdbc = server.bean(dev.fleetlet.server.db.Jdbc.class);
        java.time.Instant t0 = java.time.Instant.parse("2025-03-14T11:00:00Z");
        for (String id : List.of("ro-audit-1", "ro-audit-2")) {
            jdbc.update("INSERT INTO rollouts (id, kind, release_id, selector, plan, phase, current_group, group_sizes, "
                    + "last_command_seq, outside_window, created_by, created_at, updated_at) VALUES (?, 'RELEASE', 'app@1', "
                    + "'site=north', '{}', 'ABORTED', 0, '[1]', 1, FALSE, 'alice', ?, ?)", id, t0, t0);
        }
        jdbc.update("INSERT INTO rollout_audit (rollout_id, at, text) VALUES (?, ?, ?)", "ro-audit-1", t0.plusSeconds(1),
                "canary: 1 of 1 failed > 0 % → pause");
        jdbc.update("INSERT INTO rollout_commands (rollout_id, seq, kind, actor, issued_at, outcome) VALUES (?, 1, 'ABORT', "
                + "'bob', ?, 'aborted')", "ro-audit-1", t0.plusSeconds(2));
        jdbc.update("INSERT INTO rollout_audit (rollout_id, at, text) VALUES (?, ?, ?)", "ro-audit-2", t0.plusSeconds(3),
                "other rollout");
        jdbc.update("UPDATE rollouts SET selector = '' WHERE id = 'ro-audit-2'");
        // when / then: one rollout's entries, newest first
        Map<String, String> auth = Map.of("Authorization", admin());
        JsonNode all = json(send("GET", "/ui/api/audit?rollout=ro-audit-1", auth, null));
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("items").findValuesAsText("entry")).containsExactly("command", "decision", "created");
        assertThat(all.get("items").get(0).get("text").asText()).isEqualTo("abort: aborted");
        assertThat(all.get("items").get(2).get("text").asText()).isEqualTo("created release rollout of app@1 for site=north");
        // filtered by actor
        JsonNode bob = json(send("GET", "/ui/api/audit?actor=bob", auth, null));
        assertThat(bob.get("items").findValuesAsText("actor")).containsExactly("bob");
        JsonNode engine = json(send("GET", "/ui/api/audit?rollout=ro-audit-1&actor=engine&size=1", auth, null));
        assertThat(engine.get("total").asLong()).isEqualTo(1);
        assertThat(engine.get("items").get(0).get("text").asText()).startsWith("canary: 1 of 1 failed");
        // paging and bad input
        assertThat(json(send("GET", "/ui/api/audit?page=1&size=2", auth, null)).get("items")).hasSize(2);
        assertThat(json(send("GET", "/ui/api/audit?rollout=ro-audit-2&actor=alice", auth, null)).get("items").get(0)
                .get("text").asText()).isEqualTo("created release rollout of app@1 for all devices");
        HttpResponse<String> bad = send("GET", "/ui/api/audit?size=0", auth, null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("errors").get(0).get("field").asText()).isEqualTo("size");
        assertThat(send("GET", "/ui/api/audit", Map.of(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void findsDevicesByNameSubstringAndSelectorAndCountsThemInTheOverview() {
        Browser b = login("admin", FleetTestServer.ADMIN_PASSWORD);
        JsonNode byName = json(send("GET", "/ui/api/devices?q=HOUSE-7", Map.of("Cookie", b.cookie()), null));
        assertThat(byName.get("total").asLong()).isEqualTo(1);
        assertThat(byName.get("items").get(0).get("id").asText()).isEqualTo(deviceId);
        JsonNode bySelector = json(send("GET", "/ui/api/devices?selector=site%3Dnorth&status=offline",
                Map.of("Cookie", b.cookie()), null));
        assertThat(bySelector.get("items").get(0).get("labels").get("site").asText()).isEqualTo("north");
        assertThat(json(send("GET", "/ui/api/devices?q=100%25", Map.of("Cookie", b.cookie()), null)).get("total").asLong()).isZero();
        HttpResponse<String> bad = send("GET", "/ui/api/devices?selector=in%20(", Map.of("Cookie", b.cookie()), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("errors").get(0).get("field").asText()).isEqualTo("selector");
        JsonNode o = json(send("GET", "/ui/api/overview", Map.of("Cookie", b.cookie()), null));
        assertThat(o.get("offline").asLong()).isEqualTo(2);
        assertThat(o.get("online").asLong()).isZero();
        assertThat(o.get("offlineTooLong").asLong()).isEqualTo(2); // never connected: no last-seen time
    }

    @Test
    void refusesACommandWithAnUnknownNameOrToAnOfflineDevice() {
        HttpResponse<String> unknown = server.post("/ui/api/devices/" + deviceId + "/commands", admin(), "{\"command\":\"format-disk\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("errors").get(0).get("field").asText()).isEqualTo("command");
        HttpResponse<String> offline = server.post("/ui/api/devices/" + deviceId + "/commands", admin(), "{\"command\":\"identify\"}");
        assertThat(offline.statusCode()).isEqualTo(409);
    }

    @Test
    void followsOnlyDashboardPathsAfterSignIn() {
        assertThat(LoginController.safeNext("/ui/devices?q=a")).isEqualTo("/ui/devices?q=a");
        assertThat(LoginController.safeNext("https://evil.example/ui")).isEqualTo("/ui");
        assertThat(LoginController.safeNext("//evil.example/ui")).isEqualTo("/ui");
        assertThat(LoginController.safeNext("/ui//evil.example")).isEqualTo("/ui");
        assertThat(LoginController.safeNext(null)).isEqualTo("/ui");
        assertThat(List.of(LoginController.safeNext("/api/v1/devices"))).containsExactly("/ui");
    }
}
