package dev.fleetlet.hil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.demo.LoopbackRegistry;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import dev.fleetlet.hil.sim.FleetSimulator;
import dev.fleetlet.hil.sim.ReleaseBehaviour;
import dev.fleetlet.hil.sim.RolloutScenario;
import dev.fleetlet.hil.sim.SimulatorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Rollouts from the dashboard in headless chromium: 12 simulated devices that apply releases (all healthy, except
 * that every device fails a release whose id contains {@code -broken}), releases pinned against a loopback
 * registry. Starts a rollout from the wizard and watches it reach 100 %, then starts a failing one, presses abort
 * and sees the devices back on the previous release; a viewer gets no wizard.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardRolloutBrowserIT {

    static final String ADMIN_PASSWORD = "rollout-admin-password";
    static final int DEVICES = 12;

    @TempDir
    static Path temp;
    static LoopbackRegistry registry;
    static InProcessServer server;
    static FleetAdminClient admin;
    static FleetSimulator simulator;
    static ChromeDriver browser;
    static Path shots;
    static final Map<String, String> releases = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.start(temp.resolve("chromium-profile"), 1280, 900);
        shots = HeadlessChromium.buildDir().resolve("screenshots");
        registry = LoopbackRegistry.start();
        server = InProcessServer.start(temp.resolve("data"), 0, 0, Map.of("fleetlet.admin.initial-password", ADMIN_PASSWORD,
                "fleetlet.security.pbkdf2-iterations", 1000, "fleetlet.security.machine-secret-pbkdf2-iterations", 1000));
        admin = new FleetAdminClient(server.httpUri(), "admin", ADMIN_PASSWORD);
        admin.post("/api/v1/users", Map.of("username", "viv", "password", "rollout-viewer-password", "role", "VIEWER"));
        for (String version : new String[] {"1.0", "2.0", "3.0-broken"}) {
            String image = registry.addImage("fleetlet/hub", version.replace("-broken", ""));
            releases.put(version, admin.createRelease("hub", version, RolloutScenario.compose("hub", image)).path("id").asText());
        }
        String token = admin.createProvisioningToken("hubs", "DashboardRolloutBrowserIT", null).secret();
        simulator = new FleetSimulator(SimulatorConfig.enrolling(server.httpUri(), token)
                .withMqtt("127.0.0.1", server.mqttPort()).withDevices(DEVICES).withTelemetry(Duration.ofSeconds(30), 1)
                .withReleases(new ReleaseBehaviour(0, 0, 0, Duration.ofMillis(200), Duration.ofMillis(800), 1.0,
                        releases.get("1.0"))), Clock.systemUTC());
        simulator.start().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.devices("online", 0, 100).get("total").asInt() == DEVICES);
        // every device's initial report is stored before a rollout freezes its membership
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.post("/api/v1/rollouts/preview", Map.of("releaseId",
                releases.get("1.0"), "selector", "", "plan", RolloutScenario.plan(0, java.util.List.of(100.0), 10, "PT1S",
                        "PT10S", null, "PAUSE"))).path("devices").asInt() == 0);
        browser.get(url("/ui/login"));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.getCurrentUrl().contains("/ui/login"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void startsARolloutFromTheWizardAndWatchesItReachOneHundredPercent() {
        String id = startFromWizard(releases.get("2.0"), "PAUSE");
        await().atMost(Duration.ofSeconds(120)).until(() -> "COMPLETED".equals(attr("#phase", "data-phase")));
        assertThat(attr("#total .bar", "data-progress")).isEqualTo("100");
        HeadlessChromium.screenshot(browser, shots, "rollout");
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/ui/api/overview").path("releases").toString()
                .contains(releases.get("2.0")));
        assertThat(admin.get("/api/v1/rollouts/" + id).path("phase").asText()).isEqualTo("COMPLETED");
    }

    @Test
    @Order(2)
    void abortsAFailingRolloutAndTheDevicesStayOnThePreviousRelease() {
        String id = startFromWizard(releases.get("3.0-broken"), "PAUSE");
        // the canary fails its health check and the gate pauses the rollout
        await().atMost(Duration.ofSeconds(120)).until(() -> "PAUSED".equals(attr("#phase", "data-phase")));
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("failed")).getText()
                .contains(ReleaseBehaviour.FAILURE_REASON));
        browser.findElement(By.cssSelector("#controls [data-action='abort']")).click();
        browser.switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(60)).until(() -> "ABORTED".equals(attr("#phase", "data-phase")));
        HeadlessChromium.screenshot(browser, shots, "rollout-aborted");
        // every device reports the release it had before: the failed canary rolled back locally, the rest never left
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode byRelease = admin.get("/ui/api/overview").path("releases");
            assertThat(byRelease.size()).as(byRelease.toString()).isEqualTo(1);
            assertThat(byRelease.get(0).path("releaseId").asText()).isEqualTo(releases.get("2.0"));
            assertThat(byRelease.get(0).path("devices").asInt()).isEqualTo(DEVICES);
        });
        assertThat(admin.get("/api/v1/rollouts/" + id).path("phase").asText()).isEqualTo("ABORTED");
        // the audit log page shows the gate's decisions and the operator's abort for this rollout, and filters by actor
        browser.get(url("/ui/audit?rollout=" + id));
        waitReady();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector("#audit tr[data-entry]")).size() > 0);
        assertThat(browser.findElements(By.cssSelector("#audit tr[data-entry='decision']"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#audit tr[data-entry='command']")))
                .anySatisfy(row -> assertThat(row.getText()).contains("abort"));
        HeadlessChromium.screenshot(browser, shots, "audit");
        browser.get(url("/ui/audit?rollout=" + id + "&actor=engine"));
        waitReady();
        assertThat(browser.findElements(By.cssSelector("#audit tr[data-entry]"))).isNotEmpty()
                .allSatisfy(row -> assertThat(row.getAttribute("data-entry")).isEqualTo("decision"));
    }

    @Test
    @Order(3)
    void givesAViewerNoWizardAndNoRolloutControls() {
        browser.findElement(By.id("logout")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().contains("/ui/login"));
        browser.findElement(By.id("username")).sendKeys("viv");
        browser.findElement(By.id("password")).sendKeys("rollout-viewer-password");
        browser.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.getCurrentUrl().contains("/ui/login"));
        browser.get(url("/ui/rollouts"));
        waitReady();
        assertThat(browser.findElements(By.id("new-rollout"))).isEmpty();
        browser.get(url("/ui/rollouts/new"));
        waitReady();
        assertThat(browser.findElements(By.id("no-permission"))).hasSize(1);
        String first = admin.get("/api/v1/rollouts").path("items").get(0).path("id").asText();
        browser.get(url("/ui/rollouts/" + first));
        waitReady();
        assertThat(browser.findElements(By.cssSelector("#controls [data-action]"))).isEmpty();
    }

    private static String startFromWizard(String releaseId, String onBreach) {
        browser.get(url("/ui/rollouts/new"));
        waitReady();
        browser.executeScript("""
                const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('input')); };
                set('w-release', arguments[0]); set('w-canary', '1'); set('w-waves', '50,100'); set('w-conc', '6');
                set('w-soak', '1'); set('w-timeout', '30'); set('w-fail', '10'); set('w-breach', arguments[1]);
                """, releaseId, onBreach);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("w-count")).getText()
                .equals(DEVICES + " devices match"));
        browser.findElement(By.id("w-preview")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("w-forecast")).getText()
                .contains(DEVICES + " devices"));
        HeadlessChromium.screenshot(browser, shots, "rollout-wizard");
        browser.findElement(By.id("w-start")).click();
        browser.switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.getCurrentUrl().matches(".*/ui/rollouts/(?!new)[^/]+$"));
        waitReady();
        return browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
    }

    private static String attr(String css, String name) {
        return browser.findElements(By.cssSelector(css)).stream().findFirst().map(e -> e.getAttribute(name)).orElse("");
    }

    private static void waitReady() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Object ready = browser.executeScript("return document.body && document.body.dataset.ready;");
            return "true".equals(ready) || "error".equals(ready);
        });
        assertThat(browser.findElements(By.id("page-error"))).as(() -> browser.findElement(By.id("page-error")).getText()).isEmpty();
    }

    private static String url(String path) {
        return server.httpUri().resolve(path).toString();
    }
}
