package dev.fleetlet.server.desired;

import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The intake's failure contract on H2 (the server's default database). */
class H2ReportedStateIntakeFailureTest extends ReportedStateIntakeFailureContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.h2File("intake-failure");

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
