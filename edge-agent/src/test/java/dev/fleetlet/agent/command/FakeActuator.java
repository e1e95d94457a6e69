package dev.fleetlet.agent.command;

import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.drivers.Reading;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An LED that records the commands it gets. */
final class FakeActuator implements Actuator {

    final List<ActuatorCommand> commands = new CopyOnWriteArrayList<>();
    private volatile boolean on;

    @Override
    public String name() {
        return "status-led";
    }

    @Override
    public void apply(ActuatorCommand command) {
        commands.add(command);
        if (command instanceof ActuatorCommand.On) {
            on = true;
        } else if (command instanceof ActuatorCommand.Off) {
            on = false;
        } else if (command instanceof ActuatorCommand.Toggle) {
            on = !on;
        }
    }

    boolean isOn() {
        return on;
    }

    @Override
    public Reading state() {
        return Reading.ok(name(), "state", "1", on ? 1 : 0, Instant.EPOCH);
    }

    @Override
    public void close() {
    }
}
