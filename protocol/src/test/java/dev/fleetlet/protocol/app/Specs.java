package dev.fleetlet.protocol.app;

/** App spec documents shared by the tests. */
final class Specs {

    static final String DIGEST = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** A realistic app: a sensor reader, an MQTT bridge, a broker, a volume, healthchecks and devices. */
    static final String WEATHER = """
            name: weather-station
            services:
              broker:
                image: eclipse-mosquitto:2.0.18
                command: mosquitto -c "/mosquitto-no-auth.conf"
                volumes:
                  - broker-data:/mosquitto/data
                  - /etc/weather/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro
                mem_limit: 64m
                cpus: 0.25
                restart: always
                healthcheck:
                  test: ["CMD", "mosquitto_sub", "-t", "$$SYS/#", "-C", "1", "-W", "3"]
                  interval: 30s
                  timeout: 5s
                  start_period: 10s
                  retries: 3
              sampler:
                image: registry.example/weather/sampler@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
                environment:
                  INTERVAL: 10s
                  I2C_BUS: 1
                  DEBUG: false
                devices:
                  - /dev/i2c-1
                  - /dev/gpiochip0:/dev/gpiochip0:rw
                mem_limit: 128m
                memswap_limit: 128m
                pids_limit: 64
                user: "1000:998"
                read_only: true
                tmpfs: [/tmp]
                cap_drop: [ALL]
                restart: on-failure:5
                stop_grace_period: 1m30s
                depends_on:
                  broker:
                    condition: service_healthy
              bridge:
                image: registry.example/weather/bridge:1.4.0
                entrypoint: ["/app/bridge"]
                command: ["--upstream", "mqtts://fleet.example:8883"]
                environment:
                  - UPSTREAM_TOPIC=weather/kitchen
                  - LOG_LEVEL=info
                labels:
                  app.role: bridge
                network_mode: host
                cap_add: [NET_BIND_SERVICE]
                stop_signal: SIGINT
                working_dir: /app
                healthcheck:
                  test: curl -fs http://localhost:8080/health || exit 1
                  interval: 1m
                depends_on: [broker]
                restart: unless-stopped
            volumes:
              broker-data:
            x-fleetlet:
              update_strategy: kill-then-download
              requires:
                arch: [arm64, armhf]
                labels:
                  sensor: bme280
                min_memory: 512m
            """;

    private Specs() {
    }

    /** A one-service document with {@code serviceBody} (indented by 4) under service {@code web}. */
    static String web(String serviceBody) {
        return "name: demo\nservices:\n  web:\n    image: nginx:1.27\n"
                + serviceBody.stripIndent().lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n")
                + "volumes:\n  data: {}\n";
    }
}
