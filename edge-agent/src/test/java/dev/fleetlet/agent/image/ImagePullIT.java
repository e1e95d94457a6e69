package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.agent.containertest.StoreFixture;
import dev.fleetlet.oci.Descriptor;
import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.oci.ManifestDocument;
import dev.fleetlet.oci.ManifestParser;
import dev.fleetlet.oci.MediaTypes;
import dev.fleetlet.oci.Platform;
import dev.fleetlet.oci.RegistryClient;
import dev.fleetlet.oci.RegistryCredentials;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import dev.fleetlet.oci.testing.RegistryProxy;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pulls from a real docker-registry on loopback, images built with umoci and pushed with skopeo. */
class ImagePullIT {

    @RegisterExtension
    static TestRegistry registry = TestRegistry.anonymous();

    @RegisterExtension
    static TestRegistry privateRegistry = TestRegistry.withBasicAuth("alice", "s3cret-Pw");

    @TempDir
    static Path images;

    @TempDir
    Path store;

    @BeforeAll
    static void buildAndPushImages() throws Exception {
        TestImageBuilder b = new TestImageBuilder(images);
        b.busybox("base", "amd64", Map.of("etc/release", "v1", "etc/motd", "hello"));
        b.derive("base", "app", Map.of("etc/release", "v2", "app/data.txt", "payload"), List.of("etc/motd"));
        b.push("base", registry, "fleetlet/base", "1", false);
        b.push("app", registry, "fleetlet/app", "2", false);
        b.push("app", registry, "fleetlet/app-docker", "2", true);
        b.push("base", privateRegistry, "private/base", "1", false);
        // multi-arch: three single-arch images under their own tags, then a hand-written index
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[";
        List<String[]> arches = List.of(new String[] {"arm64", null}, new String[] {"arm", "v7"}, new String[] {"amd64", null});
        StoreFixture probe = new StoreFixture(Files.createTempDirectory(images, "probe"), registry.host());
        for (int i = 0; i < arches.size(); i++) {
            String arch = arches.get(i)[0];
            String variant = arches.get(i)[1];
            String platform = "linux/" + arch + (variant == null ? "" : "/" + variant);
            b.busybox("multi-" + arch, arch, Map.of("etc/arch", platform));
            b.push("multi-" + arch, registry, "fleetlet/multi", arch, false);
            RegistryClient.FetchedManifest m = probe.registry.fetchManifest(ImageReference.parse(registry.host() + "/fleetlet/multi:" + arch), arch);
            index += (i > 0 ? "," : "") + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + m.digest()
                    + "\",\"size\":" + m.body().length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\""
                    + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
        }
        registry.putManifest("fleetlet/multi", "1", MediaTypes.OCI_INDEX, (index + "]}").getBytes(StandardCharsets.UTF_8));
        // the same three images as Docker v2 schema 2 manifests under a Docker manifest list
        String list = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_LIST + "\",\"manifests\":[";
        for (int i = 0; i < arches.size(); i++) {
            String arch = arches.get(i)[0];
            String variant = arches.get(i)[1];
            b.push("multi-" + arch, registry, "fleetlet/multi-docker", arch, true);
            RegistryClient.FetchedManifest m = probe.registry.fetchManifest(ImageReference.parse(registry.host() + "/fleetlet/multi-docker:" + arch), arch);
            list += (i > 0 ? "," : "") + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + m.digest()
                    + "\",\"size\":" + m.body().length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\""
                    + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
        }
        registry.putManifest("fleetlet/multi-docker", "1", MediaTypes.DOCKER_LIST, (list + "]}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pullsOciImageAndStoresEveryBlobUnderItsDigest() throws Exception {
        StoreFixture s = new StoreFixture(store, registry.host());

        List<long[]> progress = new java.util.ArrayList<>();
        ImagePuller.PullResult result = s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/app:2"),
                (done, total, what) -> progress.add(new long[] {done, total}));

        ImageRecord record = result.record();
        assertThat(progress).as("the first bytes at once, one report per 2 s, the final one").hasSizeGreaterThanOrEqualTo(2);
        assertThat(progress.get(0)[0]).isPositive().isLessThan(result.bytesTransferred());
        assertThat(progress.get(progress.size() - 1)).containsExactly(result.bytesTransferred(), result.bytesTransferred());
        assertThat(progress).isSortedAccordingTo(java.util.Comparator.comparingLong(p -> p[0]));
        assertThat(record.manifestMediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(record.layers()).hasSize(2);
        for (Digest d : record.blobs()) {
            assertThat(Digest.sha256Of(Files.readAllBytes(s.blobs.path(d)))).isEqualTo(d);
        }
        assertThat(s.records.get(registry.host() + "/fleetlet/app:2")).contains(record);
        assertThat(result.blobsDownloaded()).isEqualTo(3);
    }

    @Test
    void pullsDockerSchema2ImageAndSharesTheBaseLayerWithAnOciImage() {
        StoreFixture s = new StoreFixture(store, registry.host());
        s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/base:1"));

        ImagePuller.PullResult docker = s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/app-docker:2"));

        assertThat(docker.record().manifestMediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(docker.record().layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip"));
        assertThat(docker.blobsReused()).as("base layer already stored").isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"linux/arm64", "linux/arm/v7", "linux/amd64"})
    void resolvesMultiArchIndexToTheBoardPlatform(String board) throws Exception {
        StoreFixture s = new StoreFixture(store, Platform.parse(board), RegistryCredentialsProvider.anonymous(), Set.of(registry.host()), null);

        ImageRecord record = s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/multi:1")).record();

        assertThat(record.indexDigest()).isNotNull();
        Path rootfs = store.resolve("unpacked");
        for (Digest layer : record.layerDigests()) {
            s.unpacker.unpack(s.blobs.path(layer), rootfs, LayerUnpacker.WhiteoutMode.APPLY);
        }
        assertThat(Files.readString(rootfs.resolve("etc/arch"))).isEqualTo(board);
    }

    @ParameterizedTest
    @CsvSource({"linux/arm64", "linux/arm/v7"})
    void resolvesADockerManifestListToTheBoardPlatform(String board) throws Exception {
        StoreFixture s = new StoreFixture(store, Platform.parse(board), RegistryCredentialsProvider.anonymous(), Set.of(registry.host()), null);

        ImageRecord record = s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/multi-docker:1")).record();

        assertThat(record.manifestMediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        Path rootfs = store.resolve("unpacked");
        s.unpacker.unpack(s.blobs.path(record.layerDigests().get(0)), rootfs, LayerUnpacker.WhiteoutMode.APPLY);
        assertThat(Files.readString(rootfs.resolve("etc/arch"))).isEqualTo(board);
    }

    @Test
    void pullsAnIndexPinnedByDigestAndReadsTheImageConfig() throws Exception {
        StoreFixture s = new StoreFixture(store, Platform.parse("linux/arm64"), RegistryCredentialsProvider.anonymous(), Set.of(registry.host()), null);
        ImageReference byTag = ImageReference.parse(registry.host() + "/fleetlet/multi:1");
        Digest indexDigest = s.registry.fetchManifest(byTag, "1").digest();

        ImageRecord record = s.puller.pull(byTag.withDigest(indexDigest)).record();

        assertThat(record.indexDigest()).isEqualTo(indexDigest.toString());
        ImageConfig config = ImageConfig.parse(Files.readAllBytes(s.blobs.path(Digest.parse(record.configDigest()))), s.json);
        assertThat(config.platform()).isEqualTo(new Platform("linux", "arm64", null));
        assertThat(config.defaultArgs()).containsExactly("/bin/sh");
    }

    @Test
    void refusesASingleArchImageBuiltForAnotherPlatformBeforeDownloadingLayers() {
        StoreFixture s = new StoreFixture(store, Platform.parse("linux/arm64"), RegistryCredentialsProvider.anonymous(), Set.of(registry.host()), null);

        assertThatThrownBy(() -> s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/base:1")))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.NO_MATCHING_PLATFORM))
                .hasMessageContaining("built for linux/amd64, this board is linux/arm64");
        assertThat(s.blobs.digests()).as("only the config was fetched").hasSize(1);
        assertThat(s.records.list()).isEmpty();
    }

    @Test
    void refusesAnIndexWithoutTheBoardPlatformAndNamesWhatItOffers() {
        StoreFixture s = new StoreFixture(store, Platform.parse("linux/riscv64"), RegistryCredentialsProvider.anonymous(), Set.of(registry.host()), null);

        assertThatThrownBy(() -> s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/multi:1")))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.NO_MATCHING_PLATFORM))
                .hasMessageContaining("linux/riscv64").hasMessageContaining("linux/arm/v7");
    }

    @Test
    void privateRepositoryNeedsTheRightBasicCredentials() {
        ImageReference ref = ImageReference.parse(privateRegistry.host() + "/private/base:1");
        Set<String> plain = Set.of(privateRegistry.host());
        StoreFixture anonymous = new StoreFixture(store.resolve("a"), Platform.parse("linux/amd64"), RegistryCredentialsProvider.anonymous(), plain, null);
        StoreFixture wrong = new StoreFixture(store.resolve("w"), Platform.parse("linux/amd64"),
                RegistryCredentialsProvider.of(Map.of(privateRegistry.host(), new RegistryCredentials("alice", "wrong"))), plain, null);
        StoreFixture right = new StoreFixture(store.resolve("r"), Platform.parse("linux/amd64"),
                RegistryCredentialsProvider.of(Map.of(privateRegistry.host(), new RegistryCredentials("alice", "s3cret-Pw"))), plain, null);

        assertThatThrownBy(() -> anonymous.puller.pull(ref)).hasMessageContaining("UNAUTHORIZED").hasMessageContaining("none are configured");
        assertThatThrownBy(() -> wrong.puller.pull(ref)).hasMessageContaining("UNAUTHORIZED").hasMessageContaining("refused the credentials");
        assertThat(right.puller.pull(ref).record().layers()).hasSize(1);
    }

    @Test
    void followsTheBearerTokenFlowWithServiceAndScope() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry)) {
            proxy.requireBearer("bob", "t0ken-pw");
            ImageReference ref = ImageReference.parse(proxy.host() + "/fleetlet/base:1");
            StoreFixture anonymous = new StoreFixture(store.resolve("a"), proxy.host());
            StoreFixture authed = new StoreFixture(store.resolve("b"), Platform.parse("linux/amd64"),
                    RegistryCredentialsProvider.of(Map.of(proxy.host(), new RegistryCredentials("bob", "t0ken-pw"))), Set.of(proxy.host()), null);

            assertThatThrownBy(() -> anonymous.puller.pull(ref)).hasMessageContaining("UNAUTHORIZED").hasMessageContaining("/token answered 401");
            ImageRecord record = authed.puller.pull(ref).record();

            assertThat(record.layers()).hasSize(1);
            assertThat(proxy.log()).anySatisfy(l -> assertThat(l.path())
                    .contains("service=fleetlet-test").contains("scope=repository%3Afleetlet%2Fbase%3Apull"));
            long tokenFetches = proxy.log().stream().filter(l -> l.path().startsWith("/token") && l.status() == 200).count();
            assertThat(tokenFetches).as("token cached for the repository").isEqualTo(1);
        }
    }

    @Test
    void rejectsATamperedBlobAndLeavesTheStoredReleaseUntouched() throws Exception {
        TestImageBuilder b = new TestImageBuilder(images);
        b.busybox("tamper", "amd64", Map.of("etc/unique", UUID.randomUUID().toString()));
        b.push("tamper", registry, "fleetlet/tampered", "1", false);
        StoreFixture s = new StoreFixture(store, registry.host());
        ImageRecord running = s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/base:1")).record();
        Set<Digest> before = s.blobs.digests();
        ImageReference bad = ImageReference.parse(registry.host() + "/fleetlet/tampered:1");
        Descriptor layer = ((ManifestDocument.Image) new ManifestParser(s.json).parse(
                s.registry.fetchManifest(bad, "1").body(), "")).layers().get(0);
        flipByteInTheMiddle(registry.blobData(layer.digest().toString()));

        assertThatThrownBy(() -> s.puller.pull(bad))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.DIGEST_MISMATCH))
                .hasMessageContaining(layer.digest().toString());

        assertThat(s.records.get(bad.toString())).isEmpty();
        assertThat(s.records.get(running.reference())).contains(running);
        assertThat(s.blobs.contains(layer.digest())).isFalse();
        assertThat(s.blobs.partialSize(layer.digest())).isZero();
        Set<Digest> after = new HashSet<>(s.blobs.digests());
        assertThat(after).containsAll(before);
        for (Digest d : running.blobs()) {
            assertThat(Digest.sha256Of(Files.readAllBytes(s.blobs.path(d)))).isEqualTo(d);
        }
    }

    @Test
    void resumesACutDownloadFromWhereItStoppedWithARangeRequest() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry)) {
            StoreFixture s = new StoreFixture(store, proxy.host());
            ImageReference ref = ImageReference.parse(proxy.host() + "/fleetlet/app:2");
            Descriptor layer = ((ManifestDocument.Image) new ManifestParser(s.json).parse(
                    s.registry.fetchManifest(ref, "2").body(), "")).layers().get(0);
            long cut = layer.size() / 2;
            proxy.cutOnce(layer.digest().toString(), cut);

            ImagePuller.PullResult result = s.puller.pull(ref);

            List<RegistryProxy.Logged> blobGets = proxy.log().stream()
                    .filter(l -> l.path().endsWith("/blobs/" + layer.digest())).toList();
            blobGets.forEach(l -> System.out.println("resume-test request range=" + l.range() + " status=" + l.status() + " bytes=" + l.bytesSent()));
            assertThat(blobGets).hasSize(2);
            assertThat(blobGets.get(0).range()).isNull();
            assertThat(blobGets.get(0).bytesSent()).isEqualTo(cut);
            // the client resumes from what it received and wrote, which may be a little less than
            // what the proxy wrote before the reset (bytes still in flight are lost)
            long resumedAt = Long.parseLong(blobGets.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
            assertThat(resumedAt).isPositive().isLessThanOrEqualTo(cut);
            assertThat(blobGets.get(1).status()).isEqualTo(206);
            assertThat(blobGets.get(1).bytesSent()).isEqualTo(layer.size() - resumedAt);
            long allBlobBytes = result.record().layers().stream().mapToLong(ImageRecord.Layer::size).sum()
                    + Files.size(s.blobs.path(Digest.parse(result.record().configDigest())));
            assertThat(result.bytesTransferred()).as("no byte fetched twice").isEqualTo(allBlobBytes);
            assertThat(Digest.sha256Of(Files.readAllBytes(s.blobs.path(layer.digest())))).isEqualTo(layer.digest());
        }
    }

    @Test
    void abortsAStalledDownloadAndResumesIt() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry)) {
            StoreFixture s = new StoreFixture(store, proxy.host());
            ImageReference ref = ImageReference.parse(proxy.host() + "/fleetlet/base:1");
            Descriptor layer = ((ManifestDocument.Image) new ManifestParser(s.json).parse(
                    s.registry.fetchManifest(ref, "1").body(), "")).layers().get(0);
            proxy.stallOnce(layer.digest().toString(), 100_000);

            long t0 = System.nanoTime();
            s.puller.pull(ref);
            long millis = (System.nanoTime() - t0) / 1_000_000;

            List<RegistryProxy.Logged> blobGets = proxy.log().stream()
                    .filter(l -> l.path().endsWith("/blobs/" + layer.digest())).toList();
            assertThat(blobGets).extracting(RegistryProxy.Logged::range).containsExactly(null, "bytes=100000-");
            assertThat(millis).as("stall timeout is 1 s in tests, not the 30 s proxy hang").isLessThan(10_000);
            assertThat(s.blobs.contains(layer.digest())).isTrue();
        }
    }

    @Test
    void refusesToPullWhenTheDiskIsTooSmallBeforeDownloadingAnything() {
        DiskSpaceGuard tiny = new DiskSpaceGuard(store, 1024, 3.0, p -> 100_000L);
        StoreFixture s = new StoreFixture(store, Platform.parse("linux/amd64"), RegistryCredentialsProvider.anonymous(), Set.of(registry.host()), tiny);

        assertThatThrownBy(() -> s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/app:2")))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.INSUFFICIENT_DISK_SPACE))
                .hasMessageContaining("only 100000 are usable");
        assertThat(s.blobs.digests()).isEmpty();
    }

    @Test
    void garbageCollectionKeepsLayersSharedWithReferencedImages() {
        StoreFixture s = new StoreFixture(store, registry.host());
        ImageRecord base = s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/base:1")).record();
        ImageRecord app = s.puller.pull(ImageReference.parse(registry.host() + "/fleetlet/app:2")).record();
        Digest shared = base.layerDigests().get(0);
        assertThat(app.layerDigests()).contains(shared);
        s.layers.unpacked(shared);

        ImageGarbageCollector.GcReport first = s.gc.collect(Set.of(app.reference()));

        assertThat(first.removedImages()).containsExactly(base.reference());
        assertThat(first.removedBlobs()).isEqualTo(2);
        assertThat(s.blobs.digests()).containsExactlyInAnyOrderElementsOf(app.blobs());
        assertThat(first.removedLayerDirs()).isZero();

        ImageGarbageCollector.GcReport second = s.gc.collect(Set.of());

        assertThat(second.removedImages()).containsExactly(app.reference());
        assertThat(s.blobs.digests()).isEmpty();
        assertThat(second.removedLayerDirs()).isEqualTo(1);
    }

    private static void flipByteInTheMiddle(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long pos = raf.length() / 2;
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ 0xFF);
        }
    }
}
