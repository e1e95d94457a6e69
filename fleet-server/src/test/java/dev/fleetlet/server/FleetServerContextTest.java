package dev.fleetlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.support.FleetTestServer;
import io.micronaut.jdbc.DataSourceResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetServerContextTest {

    @TempDir
    Path dataDir;

    @Test
    void startsWithH2FileDatabaseUnderTheDataDir() throws Exception {
        // given a fresh data dir and a random HTTP port
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of())) {
            // when the context is up
            DataSource dataSource = server.bean(DataSourceResolver.class).resolve(server.bean(DataSource.class));
            // then Flyway has migrated and the H2 file lives under the data dir
            try (var c = dataSource.getConnection(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM devices")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
            assertThat(Files.exists(dataDir.resolve("db/fleetlet.mv.db"))).isTrue();
        }
    }

    @Test
    void exportsWhatTheReportedStateIntakeDroppedOrCouldNotStore() throws Exception {
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of())) {
            // when the context is up
            io.micrometer.core.instrument.MeterRegistry registry = server.bean(io.micrometer.core.instrument.MeterRegistry.class);
            dev.fleetlet.server.desired.ReportedStateIntake intake = server.bean(dev.fleetlet.server.desired.ReportedStateIntake.class);
            // then the intake's counters are metrics
            assertThat(registry.get("fleetlet.reported.failed").functionCounter().count()).isEqualTo(intake.failed());
            assertThat(registry.get("fleetlet.reported.dropped").functionCounter().count()).isEqualTo(intake.dropped());
            assertThat(registry.get("fleetlet.reported.backlog").gauge().value()).isEqualTo(intake.backlog());
        }
    }

    @Test
    void generatesTheInitialAdminPasswordIntoAPrivateFileWhenNoneIsConfigured() throws Exception {
        // given no configured admin password
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of("fleetlet.admin.initial-password", ""))) {
            // then the password file exists with mode 0600 and logs in
            Path file = dataDir.resolve("initial-admin-password");
            assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            String password = Files.readString(file).trim();
            assertThat(server.get("/api/v1/users", FleetTestServer.basic("admin", password)).statusCode()).isEqualTo(200);
            assertThat(server.get("/api/v1/users", FleetTestServer.basic("admin", password + "x")).statusCode()).isEqualTo(401);
        }
    }
}
