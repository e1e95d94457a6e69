package dev.fleetlet.server.db;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The repository contract on an H2 file database, the server's default. */
class H2RepositoryTest extends RepositoryContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.h2File("contract");

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
