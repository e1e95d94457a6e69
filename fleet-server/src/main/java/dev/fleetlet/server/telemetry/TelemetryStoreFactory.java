package dev.fleetlet.server.telemetry;

import dev.fleetlet.server.telemetry.internal.TelemetryStore;
import io.micronaut.context.annotation.Factory;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** The telemetry store over the default data source, unwrapped so it manages its own transactions. */
@Factory
final class TelemetryStoreFactory {

    @Singleton
    TelemetryStore telemetryStore(DataSource dataSource, DataSourceResolver resolver) {
        return new TelemetryStore(resolver.resolve(dataSource));
    }
}
