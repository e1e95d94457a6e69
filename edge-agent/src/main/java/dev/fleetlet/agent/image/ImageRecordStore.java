package dev.fleetlet.agent.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Image records as JSON files under {@code <root>/images/}, one per reference (file name = sha256
 * of the reference text). Writes go to a temp file and are renamed atomically.
 */
public final class ImageRecordStore {
    private final Path dir;
    private final ObjectMapper json;

    public ImageRecordStore(Path root, ObjectMapper json) {
        this.dir = root.resolve("images");
        this.json = json;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public void put(ImageRecord record) {
        Path target = file(record.reference());
        try {
            Path tmp = Files.createTempFile(dir, "record", ".tmp");
            Files.write(tmp, json.writeValueAsBytes(record));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot write image record " + record.reference() + ": " + e.getMessage(), e);
        }
    }

    public Optional<ImageRecord> get(String reference) {
        Path f = file(reference);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Optional.of(read(f));
    }

    public List<ImageRecord> list() {
        List<ImageRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> out.add(read(p)));
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    public boolean remove(String reference) {
        try {
            return Files.deleteIfExists(file(reference));
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot remove image record " + reference + ": " + e.getMessage(), e);
        }
    }

    private ImageRecord read(Path f) {
        try {
            return json.readValue(f.toFile(), ImageRecord.class);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "image record " + f + " is unreadable: " + e.getMessage(), e);
        }
    }

    private Path file(String reference) {
        return dir.resolve(Digest.sha256Of(reference.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
    }
}
