package dev.fleetlet.hil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import dev.fleetlet.hil.sim.FleetSimulator;
import dev.fleetlet.hil.sim.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in headless chromium against an in-process fleet server with 20 simulated devices sending
 * telemetry, plus one probe device whose MQTT connection the test opens and closes itself. Screenshots of every
 * page go to {@code <build dir>/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    static final String ADMIN_PASSWORD = "dashboard-admin-password";
    static final String VIEWER_PASSWORD = "dashboard-viewer-password";
    static final int DEVICES = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;
    static InProcessServer server;
    static FleetSimulator simulator;
    static FleetAdminClient admin;
    static ChromeDriver browser;
    static Mqtt5BlockingClient probe;
    static String probeId;
    static List<String> eastIds = new ArrayList<>();
    static Path shots;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.start(temp.resolve("chromium-profile"), 1280, 860); // fails first when chromium is missing
        shots = HeadlessChromium.buildDir().resolve("screenshots");
        server = InProcessServer.start(temp.resolve("data"), 0, 0, Map.of(
                "fleetlet.admin.initial-password", ADMIN_PASSWORD,
                "fleetlet.security.pbkdf2-iterations", 1000,
                "fleetlet.security.machine-secret-pbkdf2-iterations", 1000));
        admin = new FleetAdminClient(server.httpUri(), "admin", ADMIN_PASSWORD);
        admin.post("/api/v1/users", Map.of("username", "vic", "password", VIEWER_PASSWORD, "role", "VIEWER"));
        FleetAdminClient.Issued token = admin.createProvisioningToken("greenhouses", "dashboard browser test", null);
        simulator = new FleetSimulator(SimulatorConfig.enrolling(server.httpUri(), token.secret())
                .withMqtt("127.0.0.1", server.mqttPort()).withDevices(DEVICES).withTelemetry(Duration.ofSeconds(1), 3),
                Clock.systemUTC());
        simulator.start().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(90)).until(() -> admin.devices("online", 0, 100).get("total").asInt() == DEVICES);
        JsonNode list = admin.devices(null, 0, 100).get("items");
        for (int i = 0; i < list.size(); i++) {
            String id = list.get(i).get("id").asText();
            String zone = i < 4 ? "east" : "west";
            if (i < 4) {
                eastIds.add(id);
            }
            patch(id, "{\"labels\":{\"zone\":\"" + zone + "\",\"env\":\"prod\"}}");
        }
        // the probe: enrolled here, its MQTT session opened and closed by the test
        String secret = "probe-secret-" + "x".repeat(40);
        JsonNode enrolled = JSON.readTree(post("/api/v1/enroll", "{\"token\":\"" + token.secret() + "\",\"serial\":\"PROBE-1\","
                + "\"deviceSecret\":\"" + secret + "\",\"hardware\":{\"serial\":\"PROBE-1\",\"model\":\"Raspberry Pi 4 Model B\","
                + "\"arch\":\"arm64\",\"memoryMb\":2048,\"kernel\":\"6.6.31-v8+\","
                + "\"os\":\"Debian GNU/Linux 12 (bookworm)\",\"agentVersion\":\"0.1.0\"}}").body());
        probeId = enrolled.get("deviceId").asText();
        patch(probeId, "{\"name\":\"probe-gate\",\"labels\":{\"zone\":\"north\"}}");
        probe = Mqtt5Client.builder().identifier(probeId).serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(probeId).password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        probe.connect();
        await().atMost(Duration.ofSeconds(30)).until(() -> "online".equalsIgnoreCase(admin.device(probeId).get("status").asText()));
        // telemetry reaches the minute aggregates the charts read
        String first = list.get(0).get("id").asText();
        // (an empty list is left out of the answer, so no "points" yet means no aggregate yet)
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.get("/api/v1/devices/" + first + "/telemetry?bucket=1m")
                .path("points").size() > 0);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (probe != null && probe.getState().isConnected()) {
            probe.disconnect();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void redirectsAnUnauthenticatedVisitorToTheLoginForm() {
        browser.get(url("/ui/devices"));
        assertThat(browser.getCurrentUrl()).contains("/ui/login?next=%2Fui%2Fdevices");
        assertThat(browser.findElements(By.id("password"))).hasSize(1);
        HeadlessChromium.screenshot(browser, shots, "login");
    }

    @Test
    @Order(2)
    void signsInAndShowsTheFleetOverview() {
        signIn("admin", ADMIN_PASSWORD);
        browser.get(url("/ui"));
        waitReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> text("online").equals(String.valueOf(DEVICES + 1)));
        assertThat(text("offline")).isEqualTo("0");
        // the simulator's full disks and weak power supplies (every tenth device each) show in the alerts panel
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.cssSelector("#alert-kinds [data-kind='disk_full']")).isEmpty()
                && !browser.findElements(By.cssSelector("#alert-kinds [data-kind='under_voltage']")).isEmpty());
        assertThat(Integer.parseInt(text("alerts-total"))).isGreaterThanOrEqualTo(4);
        HeadlessChromium.screenshot(browser, shots, "overview");
    }

    @Test
    @Order(3)
    void findsDevicesByLabelSelector() {
        browser.get(url("/ui/devices"));
        waitReady();
        WebElement selector = browser.findElement(By.id("selector"));
        selector.sendKeys("zone=east");
        browser.findElement(By.id("apply")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> deviceRows().size() == eastIds.size()
                && text("total").equals("(" + eastIds.size() + ")"));
        assertThat(deviceRows()).containsExactlyInAnyOrderElementsOf(eastIds);
        assertThat(browser.getCurrentUrl()).contains("selector=zone%3Deast");
        HeadlessChromium.screenshot(browser, shots, "devices");
        // free-text search finds the probe by its name
        browser.get(url("/ui/devices?q=probe-gate"));
        waitReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> deviceRows().equals(List.of(probeId)));
    }

    @Test
    @Order(4)
    void drawsTheTelemetryChartOfADevice() {
        String id = eastIds.get(0);
        browser.get(url("/ui/devices?selector=zone%3Deast"));
        waitReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector("tr[data-device='" + id + "'] a")).isEmpty());
        browser.findElement(By.cssSelector("tr[data-device='" + id + "'] a")).click();
        waitReady();
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.cssSelector("#charts .chart canvas")).isEmpty());
        WebElement chart = browser.findElement(By.cssSelector("#charts .chart"));
        assertThat(Integer.parseInt(chart.getAttribute("data-points"))).isGreaterThan(0);
        WebElement canvas = chart.findElement(By.tagName("canvas"));
        assertThat(canvas.getSize().getWidth()).isGreaterThan(200);
        HeadlessChromium.screenshot(browser, shots, "device");
        assertThat(text("bucket")).isEqualTo("raw readings");
        // a longer range re-queries per-minute averages
        browser.executeScript("const r = document.getElementById('range'); r.value = '24h'; r.dispatchEvent(new Event('change'));");
        await().atMost(Duration.ofSeconds(30)).until(() -> text("bucket").equals("1m averages")
                && !browser.findElements(By.cssSelector("#charts .chart canvas")).isEmpty());
    }

    @Test
    @Order(5)
    void savesAnEditedLabel() throws IOException {
        String id = eastIds.get(1);
        browser.get(url("/ui/devices/" + id));
        waitReady();
        WebElement area = browser.findElement(By.id("label-text"));
        area.sendKeys("\nowner=ops-team");
        browser.findElement(By.id("save-labels")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> text("labels").contains("owner=ops-team"));
        assertThat(admin.device(id).get("labels").get("owner").asText()).isEqualTo("ops-team");
        assertThat(admin.device(id).get("labels").get("zone").asText()).isEqualTo("east");
    }

    @Test
    @Order(6)
    void showsPresenceChangesLiveWhenADeviceDisconnects() {
        browser.get(url("/ui/devices/" + probeId));
        waitReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> "true".equals(browser.findElement(By.id("live")).getAttribute("data-connected")));
        assertThat(presence()).isEqualTo("online");
        browser.executeScript("window.__notReloaded = true;");
        probe.disconnect();
        await().atMost(Duration.ofSeconds(30)).until(() -> presence().equals("offline"));
        assertThat(browser.executeScript("return window.__notReloaded === true;")).isEqualTo(true);
        probe.connect();
        await().atMost(Duration.ofSeconds(30)).until(() -> presence().equals("online"));
    }

    @Test
    @Order(7)
    void refusesAMutatingRequestWithTheSessionCookieButWithoutTheCsrfToken() {
        browser.get(url("/ui/devices/" + probeId));
        waitReady();
        Object status = fetchStatus("PATCH", "/api/v1/devices/" + probeId, "{\"labels\":{\"forged\":\"yes\"}}", false);
        assertThat(status).isEqualTo(403L);
        assertThat(admin.device(probeId).get("labels").has("forged")).isFalse();
        assertThat(fetchStatus("PATCH", "/api/v1/devices/" + probeId, "{\"labels\":{\"csrf\":\"ok\"}}", true)).isEqualTo(200L);
    }

    @Test
    @Order(8)
    void capturesTheAdministrationPages() {
        for (String page : List.of("tokens", "service-accounts", "users", "releases", "rollouts")) {
            browser.get(url("/ui/" + page));
            waitReady();
            assertThat(browser.findElements(By.id("page-error"))).as(page).isEmpty();
            HeadlessChromium.screenshot(browser, shots, page);
        }
        browser.get(url("/ui/tokens"));
        waitReady();
        assertThat(browser.findElement(By.id("tokens")).getText()).contains("greenhouses");
    }

    @Test
    @Order(9)
    void showsAViewerNoMutatingControlsAndRefusesTheirForgedWrite() {
        browser.findElement(By.id("logout")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().contains("/ui/login"));
        signIn("vic", VIEWER_PASSWORD);
        browser.get(url("/ui/devices/" + eastIds.get(0)));
        waitReady();
        assertThat(browser.findElements(By.id("label-form"))).isEmpty();
        assertThat(browser.findElements(By.id("cmd-reboot"))).isEmpty();
        assertThat(browser.findElement(By.id("commands")).getText()).contains("cannot send commands");
        browser.get(url("/ui/tokens"));
        waitReady();
        assertThat(browser.findElements(By.id("token-form"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("[data-revoke]"))).isEmpty();
        // a forged write with the viewer's session and a valid CSRF token is still refused by role
        assertThat(fetchStatus("PATCH", "/api/v1/devices/" + eastIds.get(0), "{\"labels\":{\"zone\":\"x\"}}", true)).isEqualTo(403L);
        assertThat(fetchStatus("POST", "/api/v1/provisioning-tokens", "{\"fleet\":\"x\"}", true)).isEqualTo(403L);
        assertThat(admin.device(eastIds.get(0)).get("labels").get("zone").asText()).isEqualTo("east");
    }

    @Test
    @Order(10)
    void fitsATabletInPortraitWithoutSideways() {
        // a 768 x 1024 tablet in portrait (still signed in as the viewer of the previous test)
        browser.manage().window().setSize(new Dimension(768, 1024));
        try {
            for (String page : List.of("/ui", "/ui/devices", "/ui/devices/" + eastIds.get(0))) {
                browser.get(url(page));
                waitReady();
                Object overflow = browser.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(((Number) overflow).longValue()).as("sideways scrolling on " + page).isLessThanOrEqualTo(0);
            }
            HeadlessChromium.screenshot(browser, shots, "tablet-device");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 860));
        }
    }

    private static void signIn(String user, String password) {
        browser.get(url("/ui/login"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.getCurrentUrl().contains("/ui/login"));
    }

    /** Status of a fetch made by the page itself (its cookies), with or without the CSRF header. */
    private static Object fetchStatus(String method, String path, String body, boolean withCsrf) {
        return browser.executeAsyncScript("""
                const [method, path, body, withCsrf, done] = arguments;
                const headers = {'Content-Type': 'application/json'};
                if (withCsrf) headers['X-CSRF-Token'] = decodeURIComponent(document.cookie.split('; ')
                    .find(c => c.startsWith('FLEETLET_CSRF=')).substring(14));
                fetch(path, {method, headers, body, credentials: 'same-origin'}).then(r => done(r.status), e => done(String(e)));
                """, method, path, body, withCsrf);
    }

    private static void waitReady() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Object ready = browser.executeScript("return document.body && document.body.dataset.ready;");
            return "true".equals(ready) || "error".equals(ready);
        });
        assertThat(browser.findElements(By.id("page-error"))).as(() -> browser.findElement(By.id("page-error")).getText()).isEmpty();
    }

    private static String presence() {
        return browser.findElement(By.cssSelector("#presence .badge")).getAttribute("data-status");
    }

    private static List<String> deviceRows() {
        return browser.findElements(By.cssSelector("#devices tbody tr[data-device]")).stream()
                .map(r -> r.getAttribute("data-device")).toList();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private static String url(String path) {
        return server.httpUri().resolve(path).toString();
    }

    private static void patch(String id, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUri().resolve("/api/v1/devices/" + id))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.httpUri().resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }
}
