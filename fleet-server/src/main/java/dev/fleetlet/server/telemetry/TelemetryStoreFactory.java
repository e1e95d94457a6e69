package dev.fleetlet.server.telemetry;

import dev.fleetlet.server.telemetry.internal.TelemetryStore;
import io.micronaut.context.annotation.Factory;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry store over the default data source, unwrapped so it manages its own transactions.
 *
 * <p>On H2 it sets {@code WRITE_DELAY 0}: H2 otherwise writes committed transactions to its file up to
 * 500 ms later, and a killed server would lose batches whose PUBACK (= "stored") the device already got
 * (seen in {@code IngestCrashIT}). With it, a commit survives a process crash; surviving power loss needs
 * PostgreSQL (H2 does not fsync per commit).
 */
@Factory
final class TelemetryStoreFactory {

    private static final Logger log = LoggerFactory.getLogger(TelemetryStoreFactory.class);

    @Singleton
    TelemetryStore telemetryStore(DataSource dataSource, DataSourceResolver resolver) {
        DataSource ds = resolver.resolve(dataSource);
        try (Connection c = ds.getConnection()) {
            if ("H2".equalsIgnoreCase(c.getMetaData().getDatabaseProductName())) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 0");
                }
                log.info("h2 write delay set to 0 so that acknowledged telemetry survives a process crash");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the telemetry store: " + e.getMessage(), e);
        }
        return new TelemetryStore(ds);
    }
}
