package dev.fleetlet.hil.bench;

import dev.fleetlet.hil.support.PlainBroker;
import java.nio.file.Path;

/**
 * A bare embedded HiveMQ (in-memory persistence, no extension, lets everyone in) as its own process, the
 * raw limit of the ingest benchmark: {@code RawBrokerMain <dir> <port>}. Runs until its standard input
 * closes (the benchmark ends or dies).
 */
public final class RawBrokerMain {

    private RawBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (PlainBroker broker = PlainBroker.start(Path.of(args[0]), Integer.parseInt(args[1]))) {
            System.out.println("READY port=" + broker.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for EOF
            }
        }
    }
}
