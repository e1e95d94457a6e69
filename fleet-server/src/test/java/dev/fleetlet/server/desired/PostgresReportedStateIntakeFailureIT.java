package dev.fleetlet.server.desired;

import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The intake's failure contract on a real PostgreSQL, where a failed statement aborts its transaction. */
class PostgresReportedStateIntakeFailureIT extends ReportedStateIntakeFailureContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.postgres();

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
