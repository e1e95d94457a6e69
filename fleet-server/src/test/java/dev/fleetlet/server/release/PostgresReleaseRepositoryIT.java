package dev.fleetlet.server.release;

import dev.fleetlet.server.db.PostgresExtension;
import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The release repository contract on a real PostgreSQL started by {@link PostgresExtension}. */
class PostgresReleaseRepositoryIT extends ReleaseRepositoryContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.postgres();

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
