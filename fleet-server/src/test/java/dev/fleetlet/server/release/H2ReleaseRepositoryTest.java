package dev.fleetlet.server.release;

import dev.fleetlet.server.db.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The release repository contract on an H2 file database, the server's default. */
class H2ReleaseRepositoryTest extends ReleaseRepositoryContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.h2File("releases");

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
