package dev.fleetlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.EmbeddedServer;
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
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "fleetlet.data-dir", dataDir.toString(),
                "micronaut.server.port", -1))) {
            // when the context is up
            DataSource dataSource = server.getApplicationContext().getBean(DataSourceResolver.class)
                    .resolve(server.getApplicationContext().getBean(DataSource.class));
            // then Flyway has migrated and the H2 file lives under the data dir
            try (var c = dataSource.getConnection(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM devices")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
            assertThat(Files.exists(dataDir.resolve("db/fleetlet.mv.db"))).isTrue();
            assertThat(server.isRunning()).isTrue();
        }
    }
}
