package dev.fleetlet.server.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first administrator when the user table is empty: user {@code fleetlet.admin.username}
 * (default {@code admin}) with {@code fleetlet.admin.initial-password} when set, else a generated password
 * written to {@code <fleetlet.data-dir>/initial-admin-password} with mode 0600. The log names the file,
 * never the password. Does nothing once any user exists.
 */
@Singleton
public class InitialAdmin {

    private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

    private final UserService users;
    private final Path dataDir;
    private final String username;
    private final String configuredPassword;

    public InitialAdmin(UserService users, @Value("${fleetlet.data-dir:./data}") Path dataDir,
                        @Value("${fleetlet.admin.username:admin}") String username,
                        @Value("${fleetlet.admin.initial-password:}") String configuredPassword) {
        this.users = users;
        this.dataDir = dataDir;
        this.username = username;
        this.configuredPassword = configuredPassword;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        ensureAdmin();
    }

    /** Creates the admin if there is no user; returns whether it did. */
    public synchronized boolean ensureAdmin() {
        if (users.count() > 0) {
            return false;
        }
        String password = configuredPassword;
        if (password == null || password.isBlank()) {
            password = Secrets.secret();
            Path file = dataDir.resolve("initial-admin-password");
            writePrivate(file, password + "\n");
            log.info("initial admin created username={} passwordFile={}", username, file.toAbsolutePath().normalize());
        } else {
            log.info("initial admin created username={} passwordSource=fleetlet.admin.initial-password", username);
        }
        users.create(new CreateUserRequest(username, password, Role.ADMIN));
        return true;
    }

    private static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (fleetlet.data-dir)", e);
        }
    }
}
