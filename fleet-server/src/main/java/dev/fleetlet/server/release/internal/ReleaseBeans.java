package dev.fleetlet.server.release.internal;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Wires the release feature's infrastructure: the {@link SecretCipher} over the configured or generated key. */
@Factory
public class ReleaseBeans {

    @Singleton
    SecretCipher secretCipher(@Value("${fleetlet.secrets.key:}") String configuredKey,
                              @Value("${fleetlet.data-dir:./data}") Path dataDir) {
        return new SecretCipher(SecretKeySource.load(configuredKey, dataDir));
    }
}
