package dev.fleetlet.server.db;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The repository contract on a real PostgreSQL started from the system package by {@link PostgresExtension}. */
@ExtendWith(PostgresExtension.class)
class PostgresRepositoryIT extends RepositoryContract {

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
