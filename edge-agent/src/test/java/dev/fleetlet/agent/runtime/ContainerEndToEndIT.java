package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.agent.containertest.RuncFixture;
import dev.fleetlet.agent.containertest.StoreFixture;
import dev.fleetlet.agent.image.ImageRecord;
import dev.fleetlet.agent.image.RootfsAssembler;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Registry → image store → rootfs → runc, all real. */
class ContainerEndToEndIT {
    @RegisterExtension
    static TestRegistry registry = TestRegistry.anonymous();

    @TempDir
    static Path images;

    @TempDir
    Path tmp;

    private RuncFixture fx;
    private StoreFixture store;
    private final List<RootfsAssembler.Rootfs> assembled = new java.util.ArrayList<>();

    @BeforeAll
    static void pushImages() throws Exception {
        TestImageBuilder b = new TestImageBuilder(images);
        b.busybox("base", "amd64", Map.of("etc/release", "v1", "etc/motd", "hello"));
        b.derive("base", "app", Map.of("etc/release", "v2"), List.of("etc/motd"));
        b.push("base", registry, "e2e/app", "1", false);
        b.push("app", registry, "e2e/app", "2", false);
        b.busybox("bad", "amd64", Map.of("etc/unique", UUID.randomUUID().toString()));
        b.push("bad", registry, "e2e/app", "3", false);
    }

    @BeforeEach
    void setUp() {
        fx = new RuncFixture(tmp.resolve("agent"));
        store = new StoreFixture(tmp.resolve("store"), registry.host());
    }

    @AfterEach
    void tearDown() {
        fx.cleanUp();
        assembled.forEach(store.rootfs::release);
    }

    @ParameterizedTest
    @EnumSource(RootfsAssembler.Strategy.class)
    void runsAPulledImageWithItsWhiteoutsApplied(RootfsAssembler.Strategy strategy) throws Exception {
        ImageRecord app = store.puller.pull(ImageReference.parse(registry.host() + "/e2e/app:2")).record();
        RootfsAssembler.Rootfs rootfs = assemble(app, "web", strategy);

        fx.runtime.start(ContainerSpec.builder("web", rootfs.path(), List.of("sh", "-c", "cat /etc/release; ls /etc")).build());

        assertThat(fx.runtime.awaitExit("web", Duration.ofSeconds(10))).contains(0);
        assertThat(rootfs.strategy()).isEqualTo(strategy);
        assertThat(fx.stdout("web")).contains("v2").doesNotContain("motd");
    }

    @Test
    void aTamperedUpdateIsRejectedWhileTheRunningReleaseKeepsRunning() throws Exception {
        ImageRecord v1 = store.puller.pull(ImageReference.parse(registry.host() + "/e2e/app:1")).record();
        fx.runtime.start(ContainerSpec.builder("svc", assemble(v1, "svc", RootfsAssembler.Strategy.OVERLAY).path(),
                List.of("sh", "-c", "cat /etc/release; exec sleep 60")).build());
        ImageReference bad = ImageReference.parse(registry.host() + "/e2e/app:3");
        String layer = store.registry.fetchManifest(bad, "3").body().length > 0
                ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(store.registry.fetchManifest(bad, "3").body())
                        .at("/layers/0/digest").asText() : null;
        try (RandomAccessFile raf = new RandomAccessFile(registry.blobData(layer).toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int v = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(v ^ 0x55);
        }

        assertThatThrownBy(() -> store.puller.pull(bad))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.DIGEST_MISMATCH))
                .hasMessageContaining(layer);

        assertThat(fx.runtime.status("svc").orElseThrow().state()).isEqualTo(ContainerStatus.State.RUNNING);
        assertThat(fx.stdout("svc")).contains("v1");
        assertThat(store.records.get(v1.reference())).contains(v1);
    }

    @Test
    void aMissingEntrypointIsReportedWithRuncsError() throws Exception {
        Path rootfs = fx.busyboxRootfs("rootfs");

        try {
            fx.runtime.start(ContainerSpec.builder("broken", rootfs, List.of("/no/such/binary")).build());
            assertThat(fx.runtime.awaitExit("broken", Duration.ofSeconds(10))).isPresent().get().isNotEqualTo(0);
            assertThat(fx.runtime.status("broken").orElseThrow().runtimeError()).contains("no such file or directory");
        } catch (IllegalStateException failedBeforeRunning) {
            assertThat(failedBeforeRunning).hasMessageContaining("failed to start").hasMessageContaining("no such file or directory");
        }
    }

    private RootfsAssembler.Rootfs assemble(ImageRecord image, String id, RootfsAssembler.Strategy strategy) {
        RootfsAssembler.Rootfs r = store.rootfs.assemble(image, tmp.resolve("containers").resolve(id), strategy);
        assembled.add(r);
        return r;
    }
}
