package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Copies a container's stdout or stderr pipe into a {@link RotatingLogFile} on its own thread until EOF. */
final class LogPump {
    private static final Logger log = LoggerFactory.getLogger(LogPump.class);

    private LogPump() {
    }

    static Thread start(String name, InputStream in, RotatingLogFile sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in; sink) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sink.write(buf, 0, n);
                }
            } catch (IOException e) {
                log.warn("container log pump stopped stream={} error={}", name, e.getMessage());
            }
        }, "logs-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
