package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard device list contract on H2 (the server's default database). */
class H2DeviceListQueryTest extends DeviceListQueryContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.h2File("device-list");

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
