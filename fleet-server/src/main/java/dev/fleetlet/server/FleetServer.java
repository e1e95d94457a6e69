package dev.fleetlet.server;

import io.micronaut.runtime.Micronaut;

/**
 * Entry point of the fleet server: starts the Micronaut application context (HTTP API, database with
 * Flyway migrations, embedded broker when present). Configuration comes from {@code application.yml},
 * system properties and environment variables ({@code FLEETLET_DATA_DIR}, {@code MICRONAUT_SERVER_PORT}, ...).
 */
public final class FleetServer {

    private FleetServer() {
    }

    public static void main(String[] args) {
        // The broker jar ships its own logback.xml; our config has its own name so logback neither warns nor picks theirs.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "fleetlet-logback.xml");
        }
        Micronaut.build(args)
                .mainClass(FleetServer.class)
                .banner(false)
                .start();
    }
}
