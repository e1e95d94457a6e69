package dev.fleetlet.agent.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The encoded responses of the last {@value #CAPACITY} commands by id, so that a QoS 1 redelivery is
 * answered with the same response and never runs twice (docs/protocol.md asks for at least 100). Kept in
 * memory only: across an agent restart, protection against a second run rests on the broker, which stops
 * redelivering once the PUBACK went out (Paho sends it as soon as the listener has queued the request).
 */
final class RecentCommands {

    static final int CAPACITY = 128;

    private final Map<String, byte[]> responses = new LinkedHashMap<>(CAPACITY * 2, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized Optional<byte[]> response(String id) {
        return Optional.ofNullable(responses.get(id));
    }

    synchronized void remember(String id, byte[] response) {
        responses.put(id, response);
    }
}
