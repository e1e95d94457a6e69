package dev.fleetlet.agent.state;

import dev.fleetlet.agent.fs.AtomicFiles;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.DesiredState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last accepted desired state on disk, so that after a reboot the agent acts on it without
 * waiting for the server.
 *
 * <p>Files in {@code dir}: {@code desired.json} (the current copy) and {@code desired.prev.json} (the one
 * before). Each is a header line {@code fleetlet-desired-state sha256=<hex> bytes=<n>} followed by the
 * payload exactly as received. Writes go through {@link AtomicFiles} (temp file, fsync, rename, fsync
 * directory); the current copy is first saved as the previous one. On load, a copy whose header, length or
 * checksum does not match, or that the protocol codec rejects (schema, device id), is logged as corrupt and
 * the previous copy is used instead; if both are bad the agent starts as if it never got a desired state.
 */
public final class DesiredStateStore {

    static final String CURRENT = "desired.json";
    static final String PREVIOUS = "desired.prev.json";
    private static final String MAGIC = "fleetlet-desired-state";
    private static final Logger log = LoggerFactory.getLogger(DesiredStateStore.class);

    private final Path dir;
    private final String deviceId;
    private final ProtocolCodec codec;
    private DesiredState accepted;

    public DesiredStateStore(Path dir, String deviceId, ProtocolCodec codec) {
        this.dir = dir;
        this.deviceId = deviceId;
        this.codec = codec;
        this.accepted = read(dir.resolve(CURRENT)).or(() -> {
            Optional<DesiredState> prev = read(dir.resolve(PREVIOUS));
            prev.ifPresent(p -> log.warn("using the previous desired state copy generation={} path={}",
                    p.generation(), dir.resolve(PREVIOUS)));
            return prev;
        }).orElse(null);
    }

    /** The last accepted desired state, if any. */
    public synchronized Optional<DesiredState> current() {
        return Optional.ofNullable(accepted);
    }

    /** The generation of the last accepted desired state, 0 if none. */
    public synchronized long lastAcceptedGeneration() {
        return accepted == null ? 0 : accepted.generation();
    }

    /**
     * Persists an accepted desired state durably, keeping the copy before it.
     *
     * @param payload the payload as received (it decoded to {@code state})
     * @throws IOException when it cannot be written; the stored copies are then unchanged and the
     *     in-memory state is not updated
     */
    public synchronized void save(DesiredState state, byte[] payload) throws IOException {
        Path current = dir.resolve(CURRENT);
        if (Files.isRegularFile(current) && read(current).isPresent()) {
            AtomicFiles.write(dir.resolve(PREVIOUS), Files.readAllBytes(current));
        }
        AtomicFiles.write(current, frame(payload));
        accepted = state;
    }

    static byte[] frame(byte[] payload) {
        byte[] header = (MAGIC + " sha256=" + sha256(payload) + " bytes=" + payload.length + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, out, header.length, payload.length);
        return out;
    }

    private Optional<DesiredState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] all = Files.readAllBytes(file);
            int nl = indexOf(all, (byte) '\n');
            String header = nl < 0 ? "" : new String(all, 0, nl, StandardCharsets.US_ASCII);
            String[] parts = header.split(" ");
            if (parts.length != 3 || !parts[0].equals(MAGIC) || !parts[1].startsWith("sha256=")
                    || !parts[2].startsWith("bytes=")) {
                return corrupt(file, "header missing or malformed");
            }
            byte[] payload = Arrays.copyOfRange(all, nl + 1, all.length);
            if (!parts[2].equals("bytes=" + payload.length)) {
                return corrupt(file, "length " + payload.length + " does not match header " + parts[2]);
            }
            if (!parts[1].equals("sha256=" + sha256(payload))) {
                return corrupt(file, "checksum mismatch");
            }
            Decoded<DesiredState> decoded = codec.decode(MessageType.DESIRED_STATE, deviceId, payload);
            if (decoded instanceof Decoded.Rejected<DesiredState> r) {
                return corrupt(file, "stored payload rejected: " + r.rejection());
            }
            return Optional.of(decoded.orElseThrow());
        } catch (IOException e) {
            return corrupt(file, "unreadable: " + e);
        }
    }

    private static Optional<DesiredState> corrupt(Path file, String why) {
        log.error("stored desired state is corrupt, ignoring it path={} problem={}", file, why);
        return Optional.empty();
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < Math.min(data.length, 256); i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
