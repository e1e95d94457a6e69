package dev.fleetlet.server.telemetry;

import dev.fleetlet.server.telemetry.internal.TelemetryStore;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
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
 *
 * <p>It also sets H2's page cache ({@code fleetlet.telemetry.h2-cache-mb}; default an eighth of the maximum
 * heap, between 16 and 256 MB; H2's own default is 16 MB). With thousands of devices the readings' series
 * index is touched all over by every transaction; with the small default cache the writer spends its time
 * reading evicted index pages back from the file.
 */
@Factory
final class TelemetryStoreFactory {

    private static final Logger log = LoggerFactory.getLogger(TelemetryStoreFactory.class);

    @Singleton
    TelemetryStore telemetryStore(DataSource dataSource, DataSourceResolver resolver,
                                  @Value("${fleetlet.telemetry.h2-cache-mb:0}") int cacheMb) {
        if (cacheMb < 0 || cacheMb > 65_536) {
            throw new IllegalArgumentException("fleetlet.telemetry.h2-cache-mb must be between 0 (automatic) and 65536, was "
                    + cacheMb);
        }
        DataSource ds = resolver.resolve(dataSource);
        try (Connection c = ds.getConnection()) {
            if ("H2".equalsIgnoreCase(c.getMetaData().getDatabaseProductName())) {
                long mb = cacheMb > 0 ? cacheMb
                        : Math.max(16, Math.min(256, Runtime.getRuntime().maxMemory() / 8 / (1024 * 1024)));
                try (Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 0");
                    s.execute("SET CACHE_SIZE " + mb * 1024);
                }
                log.info("h2 write delay set to 0 so that acknowledged telemetry survives a process crash; cacheMb={}", mb);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the telemetry store: " + e.getMessage(), e);
        }
        return new TelemetryStore(ds);
    }
}
