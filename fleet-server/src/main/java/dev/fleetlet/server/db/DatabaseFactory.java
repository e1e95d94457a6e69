package dev.fleetlet.server.db;

import io.micronaut.context.annotation.Factory;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Wires the core's database access: one {@link Jdbc} over the default data source (H2 file under
 * {@code fleetlet.data-dir} by default, PostgreSQL when {@code datasources.default.url} says so; Flyway has
 * migrated it before the data source bean is handed out), and the server's {@link Clock} (UTC).
 */
@Factory
public class DatabaseFactory {

    @Singleton
    Jdbc jdbc(DataSource dataSource, DataSourceResolver resolver) {
        return new Jdbc(resolver.resolve(dataSource));
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
