package dev.fleetlet.server.enrollment;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The broker address told to enrolling devices: {@code fleetlet.mqtt.public-uri} when set, else
 * {@code tcp://<this host's name>:<fleetlet.mqtt.port>}. A malformed public URI fails at start naming the key.
 */
@Singleton
public class MqttEndpoint {

    private final String uri;

    public MqttEndpoint(@Value("${fleetlet.mqtt.public-uri:}") String publicUri, @Value("${fleetlet.mqtt.port:1883}") int port) {
        if (publicUri != null && !publicUri.isBlank()) {
            URI parsed;
            try {
                parsed = URI.create(publicUri.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fleetlet.mqtt.public-uri is not a URI: '" + publicUri + "'", e);
            }
            if (!"tcp".equals(parsed.getScheme()) && !"ssl".equals(parsed.getScheme()) || parsed.getHost() == null) {
                throw new IllegalArgumentException("fleetlet.mqtt.public-uri must look like tcp://host:port or ssl://host:port; was '"
                        + publicUri + "'");
            }
            this.uri = publicUri.trim();
        } else {
            this.uri = "tcp://" + hostName() + ":" + port;
        }
    }

    public String uri() {
        return uri;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
