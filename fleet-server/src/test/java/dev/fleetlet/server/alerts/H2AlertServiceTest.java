package dev.fleetlet.server.alerts;

import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert service contract on an H2 file database, the server's default. */
class H2AlertServiceTest extends AlertServiceContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.h2File("alerts");

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
