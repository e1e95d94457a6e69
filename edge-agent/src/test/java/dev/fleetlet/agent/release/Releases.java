package dev.fleetlet.agent.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.message.Release;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test releases from compose-style JSON. */
final class Releases {
    static final ObjectMapper JSON = new ObjectMapper();

    private Releases() {
    }

    static Release of(String id, String app, String specJson) {
        try {
            return new Release(id, app, id, JSON.readTree(specJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Two host-network services, web depending on db being healthy; db has a health check. */
    static Release webAndDb(String id, String tag, String strategy) {
        return of(id, "shop", """
                {"services": {
                   "web": {"image": "reg.local/web:%1$s", "network_mode": "host",
                           "depends_on": {"db": {"condition": "service_healthy"}}, "volumes": ["data:/data"]},
                   "db":  {"image": "reg.local/db:%1$s", "network_mode": "host", "restart": "always",
                           "healthcheck": {"test": ["CMD", "true"], "interval": "1s", "timeout": "1s", "retries": 2}}},
                 "volumes": {"data": {}},
                 "x-fleetlet": {"update_strategy": "%2$s"}}
                """.formatted(tag, strategy));
    }
}
