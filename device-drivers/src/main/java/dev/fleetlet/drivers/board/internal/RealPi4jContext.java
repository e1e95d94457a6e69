package dev.fleetlet.drivers.board.internal;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.linuxfs.provider.pwm.LinuxFsPwmProvider;
import dev.fleetlet.drivers.board.DetectedBoard;
import java.nio.file.Path;

/**
 * Builds the Pi4J context of a real Raspberry Pi: gpiod for digital I/O, linuxfs for I2C and PWM.
 *
 * <p>This is the only class that names the gpiod and linuxfs plugins. It is loaded only when the
 * configuration says {@code board.type: pi}, so the simulated board never loads their classes (the
 * gpiod native library is ARM-only).
 */
public final class RealPi4jContext {

    private RealPi4jContext() {
    }

    public static Context build(Path root, DetectedBoard board) {
        String pwmPath = root.resolve("sys/class/pwm").toString();
        int pwmChip = board.usesRp1() ? 2 : 0;
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(GpioDDigitalInputProvider.newInstance(),
                        GpioDDigitalOutputProvider.newInstance(),
                        LinuxFsI2CProvider.newInstance(),
                        LinuxFsPwmProvider.newInstance(pwmPath, pwmChip))
                .enableShutdownHook()
                .build();
    }
}
