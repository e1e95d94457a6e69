package dev.fleetlet.server.db;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One empty database per test class for the repository contracts, registered with
 * {@code @RegisterExtension static final TestDatabase database = TestDatabase.h2File("name")} (an H2 file
 * database in a temp directory, the server's default) or {@code TestDatabase.postgres()} (a new database in the
 * cluster {@link PostgresExtension} starts). Opened before the class's tests, closed and removed after them;
 * the contracts apply the Flyway migrations themselves.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    private final String h2Name;
    private DataSource dataSource;
    private Path h2Dir;

    private TestDatabase(String h2Name) {
        this.h2Name = h2Name;
    }

    /** An H2 file database named {@code name} in a temp directory deleted after the class. */
    public static TestDatabase h2File(String name) {
        return new TestDatabase(name);
    }

    /** A new PostgreSQL database in the run's throw-away cluster (started on first use). */
    public static TestDatabase postgres() {
        return new TestDatabase(null);
    }

    /** The open data source; only between before-all and after-all of the registering class. */
    public DataSource dataSource() {
        if (dataSource == null) {
            throw new IllegalStateException("TestDatabase not open: register it with @RegisterExtension on a static field");
        }
        return dataSource;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (h2Name == null) {
            new PostgresExtension().beforeAll(context);
            dataSource = PostgresExtension.newDatabase();
            return;
        }
        h2Dir = Files.createTempDirectory("fleetlet-h2-");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + h2Dir.resolve(h2Name) + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        dataSource = h2;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (dataSource instanceof HikariDataSource pooled) {
            pooled.close();
        }
        dataSource = null;
        if (h2Dir != null) {
            try (Stream<Path> files = Files.walk(h2Dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            h2Dir = null;
        }
    }
}
