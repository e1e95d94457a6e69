package dev.fleetlet.server.rollout.engine;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The rollout store contract on an H2 file database, the server's default. */
class H2RolloutStoreTest extends RolloutStoreContract {

    @TempDir
    static Path dir;
    static JdbcDataSource dataSource;

    @BeforeAll
    static void openDb() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("rollouts") + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
