package dev.fleetlet.server.alerts;

import dev.fleetlet.server.db.PostgresExtension;
import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert service contract on a real PostgreSQL started by {@link PostgresExtension}. */
class PostgresAlertServiceIT extends AlertServiceContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.postgres();

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
