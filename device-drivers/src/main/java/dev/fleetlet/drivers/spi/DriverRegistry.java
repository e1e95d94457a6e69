package dev.fleetlet.drivers.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a configured {@code type} to the factory that builds its driver. Immutable once built.
 * {@link #standard()} holds every driver shipped in this module; tests may build a registry with
 * their own factories through {@link #builder()}.
 */
public final class DriverRegistry {

    private final Map<String, SensorDriverFactory> sensors;
    private final Map<String, ActuatorDriverFactory> actuators;

    private DriverRegistry(Map<String, SensorDriverFactory> sensors, Map<String, ActuatorDriverFactory> actuators) {
        this.sensors = Map.copyOf(sensors);
        this.actuators = Map.copyOf(actuators);
    }

    /** Every driver of this module. Each chip package contributes its factory here. */
    public static DriverRegistry standard() {
        return builder()
                .addAll(StandardDrivers.sensorFactories())
                .addAllActuators(StandardDrivers.actuatorFactories())
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<SensorDriverFactory> sensor(String type) {
        return Optional.ofNullable(sensors.get(type));
    }

    public Optional<ActuatorDriverFactory> actuator(String type) {
        return Optional.ofNullable(actuators.get(type));
    }

    /** Known sensor types, sorted (for error messages). */
    public Set<String> sensorTypes() {
        return new TreeSet<>(sensors.keySet());
    }

    /** Known actuator types, sorted. */
    public Set<String> actuatorTypes() {
        return new TreeSet<>(actuators.keySet());
    }

    /** Collects factories; a type registered twice is a programming error. */
    public static final class Builder {
        private final Map<String, SensorDriverFactory> sensors = new LinkedHashMap<>();
        private final Map<String, ActuatorDriverFactory> actuators = new LinkedHashMap<>();

        public Builder add(SensorDriverFactory factory) {
            if (sensors.putIfAbsent(factory.type(), factory) != null) {
                throw new IllegalStateException("sensor type registered twice: " + factory.type());
            }
            return this;
        }

        public Builder addAll(Collection<? extends SensorDriverFactory> factories) {
            new ArrayList<>(factories).forEach(this::add);
            return this;
        }

        public Builder add(ActuatorDriverFactory factory) {
            if (actuators.putIfAbsent(factory.type(), factory) != null) {
                throw new IllegalStateException("actuator type registered twice: " + factory.type());
            }
            return this;
        }

        public Builder addAllActuators(List<? extends ActuatorDriverFactory> factories) {
            factories.forEach(this::add);
            return this;
        }

        public DriverRegistry build() {
            return new DriverRegistry(sensors, actuators);
        }
    }
}
