package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.oci.Descriptor;
import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.RegistryClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    @TempDir
    Path root;

    private final byte[] content = randomBytes(200_000);
    private final Descriptor descriptor = new Descriptor("application/octet-stream", Digest.sha256Of(content), content.length, null);

    @Test
    void resumesFromThePartialFileAfterAConnectionDrops() {
        BlobStore store = new BlobStore(root, 3);
        List<Long> offsets = new ArrayList<>();
        BlobStore.BlobSource source = offset -> {
            offsets.add(offset);
            InputStream in = new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
            return new RegistryClient.BlobResponse(offsets.size() == 1 ? failAfter(in, 70_000) : in, offset);
        };

        BlobStore.IngestResult result = store.ingest(descriptor, source);

        assertThat(offsets).containsExactly(0L, 70_000L);
        assertThat(result.bytesTransferred()).isEqualTo(content.length);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(store.contains(descriptor.digest())).isTrue();
    }

    @Test
    void reportsEveryChunkReceivedFromTheDownloadLoopIncludingAResumedAttempt() {
        BlobStore store = new BlobStore(root, 3);
        List<Long> chunks = new ArrayList<>();
        int[] opens = {0};
        BlobStore.BlobSource source = offset -> {
            opens[0]++;
            InputStream in = new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
            return new RegistryClient.BlobResponse(opens[0] == 1 ? failAfter(in, 70_000) : in, offset);
        };

        store.ingest(descriptor, source, chunks::add);

        assertThat(chunks).hasSizeGreaterThan(3).allMatch(n -> n > 0 && n <= 64 * 1024);
        assertThat(chunks.stream().mapToLong(Long::longValue).sum()).isEqualTo(content.length);
    }

    @Test
    void restartsFromZeroWhenTheRegistryIgnoresTheRange() {
        BlobStore store = new BlobStore(root, 3);
        List<Long> offsets = new ArrayList<>();
        BlobStore.BlobSource source = offset -> {
            offsets.add(offset);
            InputStream whole = new ByteArrayInputStream(content);
            return new RegistryClient.BlobResponse(offsets.size() == 1 ? failAfter(whole, 50_000) : whole, 0);
        };

        store.ingest(descriptor, source);

        assertThat(offsets).containsExactly(0L, 50_000L);
        assertThat(store.contains(descriptor.digest())).isTrue();
    }

    @Test
    void discardsContentThatDoesNotMatchItsDigest() {
        BlobStore store = new BlobStore(root, 3);
        byte[] tampered = content.clone();
        tampered[1000] ^= 1;

        assertThatThrownBy(() -> store.ingest(descriptor, offset -> new RegistryClient.BlobResponse(new ByteArrayInputStream(tampered), 0)))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.DIGEST_MISMATCH))
                .hasMessageContaining(descriptor.digest().toString());
        assertThat(store.contains(descriptor.digest())).isFalse();
        assertThat(store.partialSize(descriptor.digest())).isZero();
    }

    @Test
    void refusesABlobLargerThanItsDescriptor() {
        BlobStore store = new BlobStore(root, 3);
        byte[] longer = new byte[content.length + 10];

        assertThatThrownBy(() -> store.ingest(descriptor, offset -> new RegistryClient.BlobResponse(new ByteArrayInputStream(longer), 0)))
                .hasMessageContaining("SIZE_MISMATCH");
        assertThat(store.partialSize(descriptor.digest())).isZero();
    }

    @Test
    void keepsThePartialFileForALaterResumeWhenAttemptsRunOut() {
        BlobStore store = new BlobStore(root, 1);

        assertThatThrownBy(() -> store.ingest(descriptor, offset -> new RegistryClient.BlobResponse(
                failAfter(new ByteArrayInputStream(content), 30_000), 0)))
                .hasMessageContaining("REGISTRY_UNREACHABLE").hasMessageContaining("30000 of 200000 bytes kept");
        assertThat(store.partialSize(descriptor.digest())).isEqualTo(30_000);
    }

    @Test
    void storesBytesUnderTheirDigest() throws IOException {
        BlobStore store = new BlobStore(root, 1);

        Digest d = store.putBytes(content);

        assertThat(Files.readAllBytes(store.path(d))).isEqualTo(content);
        assertThat(store.path(d)).isEqualTo(root.resolve("blobs/sha256/" + d.hex()));
    }

    private static InputStream failAfter(InputStream in, int limit) {
        return new InputStream() {
            private int read;

            @Override
            public int read() throws IOException {
                if (read >= limit) {
                    throw new IOException("connection reset");
                }
                read++;
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= limit) {
                    throw new IOException("connection reset");
                }
                int n = in.read(b, off, Math.min(len, limit - read));
                read += Math.max(n, 0);
                return n;
            }
        };
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }
}
