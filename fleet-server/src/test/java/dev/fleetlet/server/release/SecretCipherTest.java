package dev.fleetlet.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.server.release.internal.SecretCipher;
import dev.fleetlet.server.release.internal.SecretKeySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    @TempDir
    Path dataDir;

    @Test
    void roundTripsASecretWithoutStoringItInClear() {
        // given
        SecretCipher cipher = new SecretCipher(SecretKeySource.load("", dataDir));
        // when
        String stored = cipher.encrypt("s3cret-token", "ghcr.io");
        // then
        assertThat(stored).startsWith("v1:").doesNotContain("s3cret-token");
        assertThat(cipher.encrypt("s3cret-token", "ghcr.io")).as("random IV per value").isNotEqualTo(stored);
        assertThat(cipher.decrypt(stored, "ghcr.io")).isEqualTo("s3cret-token");
    }

    @Test
    void refusesACiphertextMovedToAnotherHost() {
        SecretCipher cipher = new SecretCipher(SecretKeySource.load("", dataDir));
        String stored = cipher.encrypt("pw", "registry-a.example");
        assertThatThrownBy(() -> cipher.decrypt(stored, "registry-b.example"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("registry-b.example")
                .hasMessageNotContaining("pw:");
    }

    @Test
    void refusesToDecryptWithAnotherKeyAndSaysWhichSettingToCheck() {
        String stored = new SecretCipher(new byte[32]).encrypt("pw", "h");
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 1);
        assertThatThrownBy(() -> new SecretCipher(other).decrypt(stored, "h"))
                .hasMessageContaining("fleetlet.secrets.key");
    }

    @Test
    void generatesAKeyFileReadableOnlyByTheOwnerAndReusesIt() throws Exception {
        // when
        byte[] first = SecretKeySource.load(null, dataDir);
        byte[] second = SecretKeySource.load(null, dataDir);
        // then
        Path file = dataDir.resolve("secrets.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(second).isEqualTo(first).hasSize(32);
    }

    @Test
    void prefersTheConfiguredKeyAndRejectsOneOfTheWrongLength() {
        byte[] key = new byte[32];
        key[0] = 7;
        assertThat(SecretKeySource.load(Base64.getEncoder().encodeToString(key), dataDir)).isEqualTo(key);
        assertThat(dataDir.resolve("secrets.key")).doesNotExist();
        assertThatThrownBy(() -> SecretKeySource.load(Base64.getEncoder().encodeToString(new byte[16]), dataDir))
                .hasMessageContaining("fleetlet.secrets.key").hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> SecretKeySource.load("not base64!", dataDir))
                .hasMessageContaining("fleetlet.secrets.key").hasMessageContaining("not base64");
    }
}
