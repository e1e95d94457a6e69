package dev.fleetlet.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.oci.testing.RegistryProxy;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Resolves tags to manifest digests against a real docker-registry on loopback. */
class ManifestResolveIT {

    @RegisterExtension
    static TestRegistry registry = TestRegistry.anonymous();

    @RegisterExtension
    static TestRegistry privateRegistry = TestRegistry.withBasicAuth("alice", "s3cret-Pw");

    @TempDir
    static Path images;

    static RegistryClient.FetchedManifest appManifest;
    static Digest indexDigest;

    @BeforeAll
    static void buildAndPushImages() throws Exception {
        TestImageBuilder b = new TestImageBuilder(images);
        b.busybox("app", "arm64", Map.of("etc/release", "v1"));
        b.push("app", registry, "fleetlet/app", "1", false);
        b.push("app", registry, "fleetlet/app-docker", "1", true);
        b.push("app", privateRegistry, "private/app", "1", false);
        appManifest = client(registry.host()).fetchManifest(ImageReference.parse(registry.host() + "/fleetlet/app:1"), "1");
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + appManifest.digest() + "\",\"size\":" + appManifest.body().length
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}").getBytes(StandardCharsets.UTF_8);
        registry.putManifest("fleetlet/app", "multi", MediaTypes.OCI_INDEX, index);
        indexDigest = Digest.sha256Of(index);
    }

    private static RegistryClient client(String host) {
        return client(host, RegistryCredentialsProvider.anonymous());
    }

    private static RegistryClient client(String host, RegistryCredentialsProvider credentials) {
        return RegistryClient.create(credentials, new ObjectMapper(), new RegistryClient.Config(Set.of(host)));
    }

    @Test
    void resolvesAnOciTagWithHeadAlone() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry)) {
            ImageReference ref = ImageReference.parse(proxy.host() + "/fleetlet/app:1");

            RegistryClient.ResolvedManifest resolved = client(proxy.host()).resolve(ref);

            assertThat(resolved).isEqualTo(new RegistryClient.ResolvedManifest(appManifest.digest(), MediaTypes.OCI_MANIFEST));
            assertThat(proxy.log()).extracting(RegistryProxy.Logged::path)
                    .containsExactly("HEAD /v2/fleetlet/app/manifests/1");
        }
    }

    @Test
    void fallsBackToGetAndHashesTheBodyWhenTheRegistryOmitsTheDigestHeader() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry)) {
            proxy.omitContentDigest(true);
            ImageReference ref = ImageReference.parse(proxy.host() + "/fleetlet/app:1");

            RegistryClient.ResolvedManifest resolved = client(proxy.host()).resolve(ref);

            assertThat(resolved.digest()).isEqualTo(appManifest.digest());
            assertThat(resolved.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(proxy.log()).extracting(RegistryProxy.Logged::path)
                    .containsExactly("HEAD /v2/fleetlet/app/manifests/1", "/v2/fleetlet/app/manifests/1");
        }
    }

    @Test
    void resolvesAMultiArchTagToTheIndexNotToAPlatformManifest() {
        RegistryClient.ResolvedManifest resolved = client(registry.host())
                .resolve(ImageReference.parse(registry.host() + "/fleetlet/app:multi"));

        assertThat(resolved).isEqualTo(new RegistryClient.ResolvedManifest(indexDigest, MediaTypes.OCI_INDEX));
    }

    @Test
    void reportsTheDockerMediaTypeOfADockerSchema2Image() {
        RegistryClient.ResolvedManifest resolved = client(registry.host())
                .resolve(ImageReference.parse(registry.host() + "/fleetlet/app-docker:1"));

        assertThat(resolved.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(resolved.digest()).isNotEqualTo(appManifest.digest());
    }

    @Test
    void resolvesAPinnedDigestToItself() {
        ImageReference pinned = ImageReference.parse(registry.host() + "/fleetlet/app@" + appManifest.digest());

        RegistryClient.ResolvedManifest resolved = client(registry.host()).resolve(pinned);

        assertThat(resolved.digest()).isEqualTo(appManifest.digest());
    }

    @Test
    void unknownTagIsManifestUnknown() {
        ImageReference ref = ImageReference.parse(registry.host() + "/fleetlet/app:nope");

        assertThatThrownBy(() -> client(registry.host()).resolve(ref))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.NOT_FOUND))
                .hasMessageContaining("manifest unknown: " + ref);
    }

    @Test
    void unknownRepositoryIsManifestUnknown() {
        ImageReference ref = ImageReference.parse(registry.host() + "/fleetlet/missing:1");

        assertThatThrownBy(() -> client(registry.host()).resolve(ref))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.NOT_FOUND))
                .hasMessageContaining("manifest unknown: " + ref);
    }

    @Test
    void resolvesOnAPrivateRegistryWithBasicAuth() {
        String host = privateRegistry.host();
        RegistryClient client = client(host, RegistryCredentialsProvider.of(Map.of(host, new RegistryCredentials("alice", "s3cret-Pw"))));

        RegistryClient.ResolvedManifest resolved = client.resolve(ImageReference.parse(host + "/private/app:1"));

        assertThat(resolved.digest()).isEqualTo(appManifest.digest());
    }

    @Test
    void wrongBasicCredentialsAreNamedAsRefused() {
        String host = privateRegistry.host();
        RegistryClient client = client(host, RegistryCredentialsProvider.of(Map.of(host, new RegistryCredentials("alice", "wrong"))));

        assertThatThrownBy(() -> client.resolve(ImageReference.parse(host + "/private/app:1")))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.UNAUTHORIZED))
                .hasMessageContaining("refused the credentials for private/app");
    }

    @Test
    void resolvesBehindABearerTokenService() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry)) {
            proxy.requireBearer("bob", "t0ken-Pw");
            RegistryClient client = client(proxy.host(),
                    RegistryCredentialsProvider.of(Map.of(proxy.host(), new RegistryCredentials("bob", "t0ken-Pw"))));

            RegistryClient.ResolvedManifest resolved = client.resolve(ImageReference.parse(proxy.host() + "/fleetlet/app:1"));

            assertThat(resolved.digest()).isEqualTo(appManifest.digest());
            assertThat(proxy.log()).extracting(RegistryProxy.Logged::status).containsSubsequence(401, 200, 200);
            assertThat(proxy.log()).extracting(RegistryProxy.Logged::path).last().isEqualTo("HEAD /v2/fleetlet/app/manifests/1");
        }
    }

    @Test
    void bearerTokenRefusedIsNamedAsUnauthorized() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry)) {
            proxy.requireBearer("bob", "t0ken-Pw");
            RegistryClient client = client(proxy.host(),
                    RegistryCredentialsProvider.of(Map.of(proxy.host(), new RegistryCredentials("bob", "nope"))));

            assertThatThrownBy(() -> client.resolve(ImageReference.parse(proxy.host() + "/fleetlet/app:1")))
                    .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.UNAUTHORIZED))
                    .hasMessageContaining("token service http://" + proxy.host() + "/token answered 401");
        }
    }
}
