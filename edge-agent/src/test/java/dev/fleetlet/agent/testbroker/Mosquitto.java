package dev.fleetlet.agent.testbroker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A local mosquitto (Debian package) on a free loopback port, for integration tests. A missing binary
 * fails the test: these tests are part of the suite, not optional.
 */
public final class Mosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final int port;
    private final Process process;

    private Mosquitto(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Starts a broker (anonymous, no persistence) writing its log to {@code dir/mosquitto.log}. */
    public static Mosquitto start(Path dir) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            fail("install mosquitto (apt-get install mosquitto): " + BINARY + " is missing");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        int bound = port;
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (Socket s = new Socket("127.0.0.1", bound)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return new Mosquitto(port, p);
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
