package dev.fleetlet.provisioning;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server profiles in {@code ~/.config/fleetlet/fleetctl.json} (or {@code $XDG_CONFIG_HOME/fleetlet/},
 * or the file named by {@code $FLEETCTL_CONFIG}). The file holds API tokens and is written with mode 0600
 * (a temporary file made 0600 first, then renamed), its directory 0700 when created.
 */
public final class ProfileStore {

    /** The file's content. */
    public record Profiles(String current, List<Profile> profiles) {
        public Profiles {
            profiles = profiles == null ? List.of() : List.copyOf(profiles);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public ProfileStore(Path file) {
        this.file = file;
    }

    /** The default location for this user and environment. */
    public static Path defaultFile(Map<String, String> env) {
        if (env.get("FLEETCTL_CONFIG") != null && !env.get("FLEETCTL_CONFIG").isBlank()) {
            return Path.of(env.get("FLEETCTL_CONFIG"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("fleetlet").resolve("fleetctl.json");
    }

    public Path file() {
        return file;
    }

    /** The stored profiles; none when the file does not exist. */
    public Profiles load() {
        if (!Files.exists(file)) {
            return new Profiles(null, List.of());
        }
        try {
            return JSON.readValue(file.toFile(), Profiles.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a fleetctl profile file (" + e.getMessage()
                    + "); delete it and log in again");
        }
    }

    /** The profile for {@code server}, or the current one when {@code server} is null. */
    public Optional<Profile> find(String server) {
        Profiles all = load();
        String wanted = server == null ? all.current() : normalise(server);
        return all.profiles().stream().filter(p -> p.server().equals(wanted)).findFirst();
    }

    /** Stores (or replaces) a profile and makes it current. */
    public void save(Profile profile) {
        Profiles all = load();
        List<Profile> next = new ArrayList<>();
        for (Profile p : all.profiles()) {
            if (!p.server().equals(profile.server())) {
                next.add(p);
            }
        }
        next.add(profile);
        write(new Profiles(profile.server(), next));
    }

    /** A server URL as profiles store it: no trailing slash. */
    public static String normalise(String server) {
        return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }

    private void write(Profiles profiles) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".fleetctl", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                JSON.writeValue(tmp.toFile(), profiles);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
