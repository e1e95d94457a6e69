package dev.fleetlet.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceAndPlatformTest {

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io, library/busybox, latest",
            "ghcr.io/acme/sensor:1.2, ghcr.io, acme/sensor, 1.2",
            "127.0.0.1:5000/fleet/app:v2, 127.0.0.1:5000, fleet/app, v2",
            "localhost/app, localhost, app, latest",
            "acme/app:3, docker.io, acme/app, 3"})
    void parsesReferencesWithDefaults(String text, String registry, String repository, String tag) {
        ImageReference ref = ImageReference.parse(text);

        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
    }

    @Test
    void pinnedDigestWinsOverTheTag() {
        String digest = Digest.sha256Of("x".getBytes(StandardCharsets.UTF_8)).toString();

        ImageReference ref = ImageReference.parse("ghcr.io/acme/app:1@" + digest);

        assertThat(ref.manifestReference()).isEqualTo(digest);
        assertThat(ref.apiHost()).isEqualTo("ghcr.io");
        assertThat(ImageReference.parse("busybox").apiHost()).isEqualTo("registry-1.docker.io");
    }

    @Test
    void badReferencesNameTheBadPart() {
        assertThatThrownBy(() -> ImageReference.parse("ghcr.io/Acme/App:1")).hasMessageContaining("'Acme/App'");
        assertThatThrownBy(() -> ImageReference.parse("app@sha256:xyz")).hasMessageContaining("'xyz'");
        assertThatThrownBy(() -> ImageReference.parse(" ")).hasMessageContaining("empty");
    }

    @ParameterizedTest
    @CsvSource({
            "linux/arm64/v8, linux/arm64, true",
            "linux/arm64, linux/arm64, true",
            "linux/arm/v7, linux/arm/v7, true",
            "linux/arm, linux/arm/v7, true",
            "linux/arm/v6, linux/arm/v7, false",
            "linux/amd64, linux/arm64, false",
            "windows/amd64, linux/amd64, false"})
    void matchesIndexPlatformsToTheBoardIncludingVariants(String offered, String board, boolean matches) {
        assertThat(Platform.parse(offered).matches(Platform.parse(board))).isEqualTo(matches);
    }

    @Test
    void parsesBearerChallenges() {
        AuthChallenge c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");

        assertThat(c.isBearer()).isTrue();
        assertThat(c.parameters()).containsEntry("realm", "https://auth.docker.io/token")
                .containsEntry("service", "registry.docker.io")
                .containsEntry("scope", "repository:library/busybox:pull");
        assertThat(AuthChallenge.parse("Basic realm=\"fleet\"").isBasic()).isTrue();
    }

    @Test
    void manifestErrorsNameTheField() {
        ManifestParser parser = new ManifestParser(new com.fasterxml.jackson.databind.ObjectMapper());
        byte[] badDigest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:1\",\"size\":1},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parser.parse(badDigest, "")).hasMessageContaining("'config.digest'");
        assertThatThrownBy(() -> parser.parse("{\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+json\"}".getBytes(StandardCharsets.UTF_8), ""))
                .hasMessageContaining("UNSUPPORTED_MEDIA_TYPE");
    }
}
