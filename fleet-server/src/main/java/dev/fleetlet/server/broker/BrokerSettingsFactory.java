package dev.fleetlet.server.broker;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;

/** Builds {@link BrokerSettings} from {@code fleetlet.mqtt.*} and {@code fleetlet.data-dir}. */
@Factory
final class BrokerSettingsFactory {

    @Singleton
    BrokerSettings brokerSettings(@Value("${fleetlet.data-dir:./data}") String dataDir,
                                  @Value("${fleetlet.mqtt.host:0.0.0.0}") String host,
                                  @Value("${fleetlet.mqtt.port:1883}") int port,
                                  @Value("${fleetlet.mqtt.tls.port:8883}") int tlsPort,
                                  @Value("${fleetlet.mqtt.tls.keystore:}") String keystore,
                                  @Value("${fleetlet.mqtt.tls.password:}") String keystorePassword,
                                  @Value("${fleetlet.mqtt.max-queued-messages:10000}") long maxQueued,
                                  @Value("${fleetlet.mqtt.max-packet-size:524288}") int maxPacketSize,
                                  @Value("${fleetlet.mqtt.receive-maximum:32}") int receiveMaximum,
                                  @Value("${fleetlet.mqtt.ingest-timeout:10s}") Duration ingestTimeout,
                                  @Value("${fleetlet.mqtt.persistence:file}") String persistence,
                                  @Value("${fleetlet.mqtt.tls.client-auth:none}") String clientAuth) {
        Path keystorePath = keystore == null || keystore.isBlank() ? null : Path.of(keystore);
        return new BrokerSettings(host, port, tlsPort, keystorePath, keystorePassword,
                Path.of(dataDir).resolve("broker"), maxQueued, maxPacketSize, receiveMaximum, ingestTimeout,
                BrokerSettings.Persistence.of(persistence), BrokerSettings.ClientAuth.of(clientAuth));
    }
}
