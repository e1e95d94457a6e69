package dev.fleetlet.server.db;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The repository contract on a real PostgreSQL started from the system package by {@link PostgresExtension}. */
class PostgresRepositoryIT extends RepositoryContract {

    @RegisterExtension
    static final TestDatabase database = TestDatabase.postgres();

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
