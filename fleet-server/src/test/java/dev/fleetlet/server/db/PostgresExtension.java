package dev.fleetlet.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one throw-away PostgreSQL cluster per test run from the Debian package's binaries
 * ({@code /usr/lib/postgresql/15/bin}, override with {@code -Dfleetlet.pg.bin=...}): initdb into a temp dir
 * (as the {@code postgres} user via {@code runuser} when running as root, since PostgreSQL refuses root),
 * listen on a free port on 127.0.0.1 with the unix socket in the temp dir, fsync off. The cluster stops and
 * its directory is deleted when the root extension context closes (end of the run). Missing binaries fail the
 * test with "install postgresql (apt-get install postgresql)"; nothing is skipped.
 */
public final class PostgresExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile Cluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = context.getRoot().getStore(NS).getOrComputeIfAbsent("cluster", k -> Cluster.start(), Cluster.class);
    }

    /** A new empty database in the running cluster, as a pooled data source (closed by the caller). */
    public static HikariDataSource newDatabase() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(newDatabaseUrl());
        config.setUsername("fleetlet");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    /** Creates a new empty database in the running cluster and returns its JDBC URL (user fleetlet, no password). */
    public static String newDatabaseUrl() {
        if (cluster == null) {
            throw new IllegalStateException("PostgresExtension not registered on this test class");
        }
        String name = "fleetlet_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(cluster.url("postgres"), "fleetlet", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return cluster.url(name);
    }

    /** The running cluster. */
    static final class Cluster implements ExtensionContext.Store.CloseableResource {
        private final Path dir;
        private final int port;
        private final boolean asPostgresUser;
        private final Path bin;

        private Cluster(Path bin, Path dir, int port, boolean asPostgresUser) {
            this.bin = bin;
            this.dir = dir;
            this.port = port;
            this.asPostgresUser = asPostgresUser;
        }

        String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        static Cluster start() {
            Path bin = Path.of(System.getProperty("fleetlet.pg.bin", "/usr/lib/postgresql/15/bin"));
            if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
                throw new AssertionError("PostgreSQL binaries not found in " + bin
                        + ": install postgresql (apt-get install postgresql)");
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            try {
                Path dir = Files.createTempDirectory("fleetlet-pg-");
                Path data = dir.resolve("data");
                Path sock = dir.resolve("sock");
                Files.createDirectories(sock);
                if (root) {
                    UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                    Files.setOwner(dir, pg);
                    Files.setOwner(sock, pg);
                }
                int port = freePort();
                Cluster c = new Cluster(bin, dir, port, root);
                c.run(60, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "fleetlet", "-A", "trust",
                        "-E", "UTF8", "--no-sync");
                c.run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                        "-w", "-t", "60", "-o", "-p " + port + " -k " + sock + " -c listen_addresses=127.0.0.1 -c fsync=off "
                                + "-c synchronous_commit=off -c full_page_writes=off", "start");
                return c;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the PostgreSQL cluster directory", e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }

        private void run(int timeoutSeconds, String... command) {
            List<String> cmd = new ArrayList<>();
            if (asPostgresUser) {
                cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            cmd.addAll(List.of(command));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile()).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + String.join(" ", cmd));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
                            + new String(out, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }
}
