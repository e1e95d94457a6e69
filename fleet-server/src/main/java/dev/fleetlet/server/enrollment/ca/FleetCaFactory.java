package dev.fleetlet.server.enrollment.ca;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet CA bean: from {@code fleetlet.ca.cert-file} + {@code fleetlet.ca.key-file} (an operator's own PEM
 * files; both or neither), else kept under {@code <fleetlet.data-dir>/ca}, generated on first start.
 */
@Factory
final class FleetCaFactory {

    private static final Logger log = LoggerFactory.getLogger(FleetCaFactory.class);

    @Singleton
    FleetCa fleetCa(@Value("${fleetlet.data-dir:./data}") String dataDir,
                    @Value("${fleetlet.ca.cert-file:}") String certFile,
                    @Value("${fleetlet.ca.key-file:}") String keyFile,
                    Optional<Clock> clock) {
        Clock c = clock.orElse(Clock.systemUTC());
        boolean hasCert = certFile != null && !certFile.isBlank();
        boolean hasKey = keyFile != null && !keyFile.isBlank();
        if (hasCert != hasKey) {
            throw new IllegalArgumentException("fleetlet.ca.cert-file and fleetlet.ca.key-file must be set together (or neither)");
        }
        FleetCa ca = hasCert ? FleetCa.fromPem(Path.of(certFile), Path.of(keyFile), c)
                : FleetCa.loadOrCreate(Path.of(dataDir).resolve("ca"), c);
        log.info("fleet CA ready subject={} source={} fingerprint={}", ca.certificate().getSubjectX500Principal().getName(),
                hasCert ? certFile : Path.of(dataDir).resolve("ca"), FleetCa.fingerprint(ca.certificate()));
        return ca;
    }
}
