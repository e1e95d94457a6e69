package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGarbageCollectorTest {
    @TempDir
    Path root;

    @Test
    void waitsForAPullInProgressBeforeCollecting() throws Exception {
        BlobStore blobs = new BlobStore(root, 1);
        ImageRecordStore records = new ImageRecordStore(root, new ObjectMapper());
        ImageStoreLock lock = new ImageStoreLock();
        ImageGarbageCollector gc = new ImageGarbageCollector(records, blobs, new LayerCache(root, blobs, new LayerUnpacker(false)), lock,
                java.time.Clock.systemUTC(), Duration.ofHours(24));
        CountDownLatch blobStored = new CountDownLatch(1);
        CountDownLatch finishPull = new CountDownLatch(1);
        CompletableFuture<Void> pull = CompletableFuture.runAsync(() -> lock.whilePulling(() -> {
            Digest layer = blobs.putBytes("layer".getBytes(StandardCharsets.UTF_8));
            blobStored.countDown();
            await().until(() -> finishPull.getCount() == 0);
            records.put(new ImageRecord("r/app:1", null, layer.toString(), MediaTypes.OCI_MANIFEST, layer.toString(),
                    List.of(new ImageRecord.Layer(layer.toString(), "application/vnd.oci.image.layer.v1.tar", 5)), 0));
            return null;
        }));
        blobStored.await();

        CompletableFuture<ImageGarbageCollector.GcReport> collection = CompletableFuture.supplyAsync(() -> gc.collect(Set.of("r/app:1")));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !collection.isDone());
        finishPull.countDown();
        pull.get();
        assertThat(collection.get().removedBlobs()).as("the pulled blob is referenced by then").isZero();
        assertThat(blobs.digests()).hasSize(1);
    }

    @Test
    void deletesAbandonedPartialDownloadsButKeepsRecentOnes() throws Exception {
        BlobStore blobs = new BlobStore(root, 1);
        java.nio.file.Path old = java.nio.file.Files.write(root.resolve("ingest").resolve(Digest.sha256Of(new byte[] {1}).hex() + ".partial"), new byte[100]);
        java.nio.file.Path fresh = java.nio.file.Files.write(root.resolve("ingest").resolve(Digest.sha256Of(new byte[] {2}).hex() + ".partial"), new byte[50]);
        java.time.Instant now = java.time.Instant.parse("2026-06-01T12:00:00Z");
        java.nio.file.Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofHours(30))));
        java.nio.file.Files.setLastModifiedTime(fresh, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofHours(1))));
        ImageGarbageCollector gc = new ImageGarbageCollector(new ImageRecordStore(root, new ObjectMapper()), blobs,
                new LayerCache(root, blobs, new LayerUnpacker(false)), new ImageStoreLock(),
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC), Duration.ofHours(24));

        ImageGarbageCollector.GcReport report = gc.collect(Set.of());

        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(report.freedBytes()).isEqualTo(100);
    }
}
