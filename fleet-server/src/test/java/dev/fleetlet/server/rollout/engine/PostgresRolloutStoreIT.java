package dev.fleetlet.server.rollout.engine;

import com.zaxxer.hikari.HikariDataSource;
import dev.fleetlet.server.db.PostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rollout store contract on a real PostgreSQL started by {@link PostgresExtension}. */
@ExtendWith(PostgresExtension.class)
class PostgresRolloutStoreIT extends RolloutStoreContract {

    static HikariDataSource dataSource;

    @BeforeAll
    static void openDb() {
        dataSource = PostgresExtension.newDatabase();
    }

    @AfterAll
    static void closeDb() {
        dataSource.close();
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
