package dev.fleetlet.server.release;

import com.zaxxer.hikari.HikariDataSource;
import dev.fleetlet.server.db.PostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The release repository contract on a real PostgreSQL started by {@link PostgresExtension}. */
@ExtendWith(PostgresExtension.class)
class PostgresReleaseRepositoryIT extends ReleaseRepositoryContract {

    static HikariDataSource dataSource;

    @BeforeAll
    static void open() {
        dataSource = PostgresExtension.newDatabase();
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
