package dev.fleetlet.protocol.app;

import java.time.Duration;
import java.util.List;

/**
 * A service's health probe. Null durations and retries mean the agent's defaults (interval 30s,
 * timeout 30s, start period 0s, retries 3, as in Compose).
 *
 * @param test        {@code ["CMD", exe, args...]}, {@code ["CMD-SHELL", line]} or {@code ["NONE"]};
 *                    a string in the spec becomes {@code ["CMD-SHELL", string]}
 * @param interval    time between probes, or null
 * @param timeout     time a probe may take, or null
 * @param startPeriod grace time after start during which failures do not count, or null
 * @param retries     consecutive failures that make the service unhealthy, or null
 * @param disabled    {@code disable: true}: no probe, even one defined by the image
 */
public record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                          Integer retries, boolean disabled) {

    public Healthcheck {
        test = test == null ? List.of() : List.copyOf(test);
    }
}
