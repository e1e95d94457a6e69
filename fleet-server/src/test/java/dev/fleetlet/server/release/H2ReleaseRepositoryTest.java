package dev.fleetlet.server.release;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The release repository contract on an H2 file database, the server's default. */
class H2ReleaseRepositoryTest extends ReleaseRepositoryContract {

    @TempDir
    static Path dir;
    static JdbcDataSource dataSource;

    @BeforeAll
    static void open() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("releases") + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
