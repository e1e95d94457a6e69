package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard device list contract on a real PostgreSQL ({@link dev.fleetlet.server.db.PostgresExtension}). */
class PostgresDeviceListQueryIT extends DeviceListQueryContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.postgres();

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
