package dev.fleetlet.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.auth.ApiTokenService;
import dev.fleetlet.server.auth.CreateApiTokenRequest;
import dev.fleetlet.server.auth.CreateServiceAccountRequest;
import dev.fleetlet.server.auth.CreateUserRequest;
import dev.fleetlet.server.auth.CreatedApiToken;
import dev.fleetlet.server.auth.CreatedServiceAccount;
import dev.fleetlet.server.auth.Role;
import dev.fleetlet.server.auth.ServiceAccount;
import dev.fleetlet.server.auth.ServiceAccountService;
import dev.fleetlet.server.auth.User;
import dev.fleetlet.server.auth.UserService;
import dev.fleetlet.server.auth.SecretHasher;
import dev.fleetlet.server.device.Device;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceStatus;
import dev.fleetlet.server.device.Lifecycle;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.device.internal.JdbcDeviceRepository;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.enrollment.AllowlistRequest;
import dev.fleetlet.server.enrollment.AllowlistService;
import dev.fleetlet.server.enrollment.CreateTokenRequest;
import dev.fleetlet.server.enrollment.PendingEnrollment;
import dev.fleetlet.server.enrollment.ProvisioningToken;
import dev.fleetlet.server.enrollment.ProvisioningTokenService;
import dev.fleetlet.server.enrollment.internal.PendingStore;
import dev.fleetlet.server.events.DeviceEventStore;
import dev.fleetlet.server.events.FleetEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repositories' contract, run against every database the server supports (H2 and PostgreSQL bindings
 * extend it). The schema comes from the real Flyway migrations.
 */
public abstract class RepositoryContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123Z");

    protected abstract DataSource dataSource();

    private Jdbc jdbc;
    private JdbcDeviceRepository devices;

    @BeforeEach
    void migrateAndClean() {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(dataSource());
        for (String table : List.of("device_labels", "device_events", "devices", "provisioning_tokens", "api_tokens", "users",
                "service_accounts", "enrollment_allowlist", "pending_enrollments")) {
            jdbc.update("DELETE FROM " + table);
        }
        devices = new JdbcDeviceRepository(jdbc);
    }

    private void insert(String id, Map<String, String> labels) {
        devices.insert(new NewDevice(id, "SER-" + id, "SER-" + id, "lab", labels,
                new DeviceHardware("Pi 4", "arm64", "v8", 4096L, "6.6", "Debian 12", "0.1.0", List.of("gpio", "i2c")),
                "hash-" + id, T0));
    }

    @Test
    void storesAndReadsBackADeviceWithLabelsHardwareAndTimestamps() {
        insert("dev-a", Map.of("env", "prod", "site", "berlin"));
        Device d = devices.find("dev-a").orElseThrow();
        assertThat(d.serial()).isEqualTo("SER-dev-a");
        assertThat(d.labels()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("env", "prod", "site", "berlin")));
        assertThat(d.hardware().capabilities()).containsExactly("gpio", "i2c");
        assertThat(d.hardware().memoryMb()).isEqualTo(4096L);
        assertThat(d.enrolledAt()).isEqualTo(T0);
        assertThat(d.status()).isEqualTo(DeviceStatus.OFFLINE);
        assertThat(devices.findBySerial("SER-dev-a")).map(Device::id).contains("dev-a");
        assertThat(devices.find("dev-missing")).isEmpty();
        assertThat(devices.credentials("dev-a")).hasValueSatisfying(c -> assertThat(c.secretHash()).isEqualTo("hash-dev-a"));
    }

    @Test
    void refusesASecondDeviceWithTheSameSerial() {
        insert("dev-a", Map.of());
        assertThatThrownBy(() -> devices.insert(new NewDevice("dev-b", "SER-dev-a", "x", "lab", Map.of(), null, "h", T0)))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void filtersBySelectorInSqlExactlyAsTheInMemoryEvaluation() {
        Map<String, Map<String, String>> fleet = new LinkedHashMap<>();
        fleet.put("dev-1", Map.of("env", "prod", "site", "a", "gpu", ""));
        fleet.put("dev-2", Map.of("env", "prod", "site", "b", "tier", "db"));
        fleet.put("dev-3", Map.of("env", "prod", "site", "c", "beta", "true"));
        fleet.put("dev-4", Map.of("env", "staging", "site", "a"));
        fleet.put("dev-5", Map.of());
        fleet.forEach(this::insert);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("", List.of("dev-1", "dev-2", "dev-3", "dev-4", "dev-5"));
        expected.put("env=prod", List.of("dev-1", "dev-2", "dev-3"));
        expected.put("env==prod,site in (a,b)", List.of("dev-1", "dev-2"));
        expected.put("site notin (a,b)", List.of("dev-3", "dev-5"));
        expected.put("!beta,env=prod", List.of("dev-1", "dev-2"));
        expected.put("tier!=db", List.of("dev-1", "dev-3", "dev-4", "dev-5"));
        expected.put("gpu", List.of("dev-1"));
        expected.put("env=prod,site in (a,b),!beta,tier!=db,gpu", List.of("dev-1"));
        expected.put("env=nowhere", List.of());
        expected.forEach((text, ids) -> {
            Selector selector = Selector.parse(text);
            List<String> sql = devices.list(selector, null, 0, 100).items().stream().map(Device::id).toList();
            List<String> memory = fleet.entrySet().stream().filter(e -> selector.matches(e.getValue()))
                    .map(Map.Entry::getKey).collect(Collectors.toList());
            assertThat(sql).as("SQL for '%s'", text).containsExactlyElementsOf(ids);
            assertThat(memory).as("in memory for '%s'", text).containsExactlyElementsOf(ids);
        });
    }

    @Test
    void pagesAndFiltersByStatus() {
        for (int i = 0; i < 7; i++) {
            insert("dev-" + i, Map.of());
        }
        devices.markOnline("dev-1", T0, null);
        devices.markOnline("dev-2", T0, null);
        devices.decommission("dev-3", T0);
        Page<Device> second = devices.list(Selector.ALL, null, 1, 3);
        assertThat(second.total()).isEqualTo(7);
        assertThat(second.items()).extracting(Device::id).containsExactly("dev-3", "dev-4", "dev-5");
        assertThat(devices.list(Selector.ALL, DeviceStatus.ONLINE, 0, 10).items()).extracting(Device::id)
                .containsExactly("dev-1", "dev-2");
        assertThat(devices.list(Selector.ALL, DeviceStatus.OFFLINE, 0, 10).total()).isEqualTo(4);
        assertThat(devices.count(DeviceStatus.DECOMMISSIONED)).isEqualTo(1);
    }

    @Test
    void reportsPresenceTransitionsOnlyOnce() {
        insert("dev-a", Map.of());
        assertThat(devices.markOnline("dev-a", T0, null)).isTrue();
        assertThat(devices.markOnline("dev-a", T0.plusSeconds(1),
                new DeviceHardware("Pi 5", "arm64", null, 8192L, "6.8", "Debian 12", "0.2.0", List.of()))).isFalse();
        assertThat(devices.find("dev-a").orElseThrow().hardware().model()).isEqualTo("Pi 5");
        assertThat(devices.markOffline("dev-a", T0.plusSeconds(2), "connection-lost")).isTrue();
        assertThat(devices.markOffline("dev-a", T0.plusSeconds(3), "connection-lost")).isFalse();
        Device d = devices.find("dev-a").orElseThrow();
        assertThat(d.offlineReason()).isEqualTo("connection-lost");
        assertThat(d.lastSeen()).isEqualTo(T0.plusSeconds(3));
        assertThat(devices.markOnline("dev-unknown", T0, null)).isFalse();
    }

    @Test
    void marksAllOnlineDevicesOfflineInOneStatementAndReturnsThem() {
        // given two online devices and one offline one
        insert("dev-a", Map.of());
        insert("dev-b", Map.of());
        insert("dev-c", Map.of());
        devices.markOnline("dev-a", T0, null);
        devices.markOnline("dev-b", T0, null);

        // when all are marked offline, keeping last seen, then again with a new last-seen time
        assertThat(devices.markAllOffline(null, "server_restart")).containsExactlyInAnyOrder("dev-a", "dev-b");
        assertThat(devices.markAllOffline(T0.plusSeconds(9), "server_shutdown")).isEmpty();

        // then the transitions carry the reason and the kept last-seen time; the offline device is untouched
        Device a = devices.find("dev-a").orElseThrow();
        assertThat(a.online()).isFalse();
        assertThat(a.offlineReason()).isEqualTo("server_restart");
        assertThat(a.lastSeen()).isEqualTo(T0);
        assertThat(devices.find("dev-c").orElseThrow().offlineReason()).isNull();
        devices.markOnline("dev-c", T0.plusSeconds(10), null);
        assertThat(devices.markAllOffline(T0.plusSeconds(11), "server_shutdown")).containsExactly("dev-c");
        assertThat(devices.find("dev-c").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(11));
    }

    @Test
    void replacesLabelsAndDecommissionsOnce() {
        insert("dev-a", Map.of("env", "prod"));
        assertThat(devices.update("dev-a", "kitchen", Map.of("env", "dev", "room", "kitchen"), T0)).isTrue();
        assertThat(devices.find("dev-a").orElseThrow().labels()).isEqualTo(Map.of("env", "dev", "room", "kitchen"));
        assertThat(devices.decommission("dev-a", T0)).isTrue();
        assertThat(devices.decommission("dev-a", T0)).isFalse();
        assertThat(devices.credentials("dev-a")).hasValueSatisfying(c -> {
            assertThat(c.lifecycle()).isEqualTo(Lifecycle.DECOMMISSIONED);
            assertThat(c.secretHash()).isNull();
        });
        assertThat(devices.replaceCredentials("dev-a", "new", DeviceHardware.UNKNOWN, T0)).isFalse();
        assertThat(devices.markOnline("dev-a", T0, null)).isFalse();
    }

    @Test
    void storesDeviceEventsAndPagesThemNewestFirst() {
        DeviceEventStore store = new DeviceEventStore(jdbc);
        for (int i = 0; i < 5; i++) {
            store.append(new FleetEvent(0, "device.test", "dev-a", T0.plusSeconds(i), Map.of("n", Integer.toString(i), "note", "a=b")));
        }
        Page<FleetEvent> page = store.forDevice("dev-a", 0, 2);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.items()).extracting(e -> e.data().get("n")).containsExactly("4", "3");
        assertThat(page.items().get(0).data()).containsEntry("note", "a=b");
        assertThat(page.items().get(0).at()).isEqualTo(T0.plusSeconds(4));
    }

    @Test
    void countsTokenUsesAtomicallyUpToTheLimit() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        ProvisioningTokenService tokens = new ProvisioningTokenService(jdbc, new SecretHasher(1000), clock);
        String token = tokens.create(new CreateTokenRequest("lab", "t", 24, 2), "admin").token();
        String id = token.split("_")[1];
        List<Boolean> uses = List.of(jdbc.tx(c -> tokens.consume(c, id)), jdbc.tx(c -> tokens.consume(c, id)),
                jdbc.tx(c -> tokens.consume(c, id)));
        assertThat(uses).containsExactly(true, true, false);
        ProvisioningToken t = tokens.check(token).orElseThrow().token();
        assertThat(t.uses()).isEqualTo(2);
        assertThat(t.state()).isEqualTo(ProvisioningToken.State.EXHAUSTED);
        assertThat(t.expiresAt()).isEqualTo(T0.plus(24, ChronoUnit.HOURS));
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'x' ? 'y' : 'x');
        assertThat(tokens.check(tampered)).isEmpty();
    }

    @Test
    void rollsBackTheWholeTransactionOnFailure() {
        assertThatThrownBy(() -> jdbc.tx(c -> {
            insert("dev-a", Map.of("env", "prod"));
            insert("dev-a", Map.of());
            return null;
        })).isInstanceOf(DuplicateKeyException.class);
        assertThat(devices.find("dev-a")).isEmpty();
    }

    @Test
    void storesUsersApiTokensAndServiceAccountsWithHashedSecrets() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        SecretHasher hasher = new SecretHasher(1000);
        UserService users = new UserService(jdbc, hasher, clock);
        users.create(new CreateUserRequest("olga", "olga-password-1", Role.OPERATOR));
        assertThatThrownBy(() -> users.create(new CreateUserRequest("olga", "other-password-1", Role.VIEWER)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(users.authenticate("olga", "olga-password-1")).map(User::role).contains(Role.OPERATOR);
        assertThat(users.authenticate("olga", "wrong-password")).isEmpty();
        assertThat(jdbc.query("SELECT password_hash FROM users", rs -> rs.getString(1)).get(0)).doesNotContain("olga-password-1");

        ApiTokenService tokens = new ApiTokenService(jdbc, hasher, users, clock);
        CreatedApiToken created = tokens.create("olga", new CreateApiTokenRequest("ci", 1));
        assertThat(tokens.authenticate(created.secret())).map(User::username).contains("olga");
        assertThat(new ApiTokenService(jdbc, hasher, users, Clock.fixed(T0.plus(1, ChronoUnit.DAYS), ZoneOffset.UTC))
                .authenticate(created.secret())).as("expired after one day").isEmpty();
        tokens.revoke(created.token().id(), "olga", false);
        assertThat(tokens.authenticate(created.secret())).isEmpty();

        ServiceAccountService accounts = new ServiceAccountService(jdbc, hasher, clock);
        CreatedServiceAccount svc = accounts.create(new CreateServiceAccountRequest("svc-telegraf", "metrics"), "olga");
        assertThat(accounts.authenticate("svc-telegraf", svc.secret())).isTrue();
        assertThat(accounts.list(0, 10).items()).extracting(ServiceAccount::name).containsExactly("svc-telegraf");
        accounts.delete("svc-telegraf", "olga");
        assertThat(accounts.authenticate("svc-telegraf", svc.secret())).isFalse();
    }

    @Test
    void storesTheAllowlistAndPendingEnrollments() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        AllowlistService allowlist = new AllowlistService(jdbc, clock);
        allowlist.add(new AllowlistRequest(List.of("SER-1", "SER-2", "SER-1"), "batch"));
        assertThat(allowlist.contains("SER-2")).isTrue();
        assertThat(allowlist.list(0, 10).total()).isEqualTo(2);
        allowlist.remove("SER-2");
        assertThat(allowlist.contains("SER-2")).isFalse();

        PendingStore pending = new PendingStore(jdbc);
        DeviceHardware hw = new DeviceHardware("Pi Zero 2 W", "arm64", null, 512L, "6.6", "Debian 12", "0.1.0", List.of("gpio"));
        pending.insert("p1", "SER-9", "tok", "lab", "hash-1", hw, T0);
        pending.refresh("p1", "tok2", "hash-2", hw, T0.plusSeconds(60));
        PendingEnrollment p = pending.bySerial("SER-9").orElseThrow();
        assertThat(p.hardware()).isEqualTo(hw);
        assertThat(p.tokenId()).isEqualTo("tok2");
        assertThat(p.lastSeenAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(pending.secretHash("p1")).contains("hash-2");
        assertThat(pending.list(PendingEnrollment.State.PENDING, 0, 10).total()).isEqualTo(1);
        assertThat(pending.decide("p1", PendingEnrollment.State.APPROVED, "olga", "dev-x", T0)).isTrue();
        assertThat(pending.decide("p1", PendingEnrollment.State.REJECTED, "olga", null, T0)).isFalse();
        assertThat(pending.byId("p1").orElseThrow().deviceId()).isEqualTo("dev-x");
    }
}
