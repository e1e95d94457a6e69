package dev.fleetlet.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretHasherTest {

    private final SecretHasher hasher = new SecretHasher(5000, 1000, 0);

    @Test
    void verifiesOnlyTheHashedSecretAndSaltsEveryHash() {
        String a = hasher.hash("correct horse battery");
        assertThat(a).startsWith("pbkdf2-sha256$5000$");
        assertThat(hasher.verify("correct horse battery", a)).isTrue();
        assertThat(hasher.verify("correct horse batterY", a)).isFalse();
        assertThat(hasher.hash("correct horse battery")).isNotEqualTo(a);
    }

    @Test
    void machineSecretsUseTheirOwnCostAndVerifyWithTheSameMethod() {
        String h = hasher.hashMachineSecret("0123456789abcdefghijklmnopqrstuv");
        assertThat(h).startsWith("pbkdf2-sha256$1000$");
        assertThat(new SecretHasher(120000, 10000).verify("0123456789abcdefghijklmnopqrstuv", h)).isTrue();
    }

    @Test
    void answersFalseForMalformedStoredHashesInsteadOfThrowing() {
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verify(null, hasher.hash("x"))).isFalse();
        assertThat(hasher.verify("x", "md5$abc")).isFalse();
        assertThat(hasher.verify("x", "pbkdf2-sha256$many$AA$AA")).isFalse();
        assertThat(hasher.verify("x", "pbkdf2-sha256$1000$!!$AA")).isFalse();
    }

    @Test
    void refusesATooLowCostNamingTheKey() {
        assertThatThrownBy(() -> new SecretHasher(999, 1000)).hasMessageContaining("fleetlet.security.pbkdf2-iterations");
        assertThatThrownBy(() -> new SecretHasher(1000, 10))
                .hasMessageContaining("fleetlet.security.machine-secret-pbkdf2-iterations");
    }

    @Test
    void refusesAnOutOfRangeHashConcurrencyNamingTheKey() {
        assertThatThrownBy(() -> new SecretHasher(1000, 1000, -1)).hasMessageContaining("fleetlet.security.hash-concurrency");
        assertThatThrownBy(() -> new SecretHasher(1000, 1000, 5000)).hasMessageContaining("fleetlet.security.hash-concurrency");
        assertThat(new SecretHasher(1000, 1000, 1).verify("s", new SecretHasher(1000, 1000, 1).hashMachineSecret("s"))).isTrue();
    }
}
