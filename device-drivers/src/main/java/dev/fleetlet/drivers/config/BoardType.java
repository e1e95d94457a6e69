package dev.fleetlet.drivers.config;

/** Which hardware a board configuration runs on. */
public enum BoardType {
    /** A Raspberry Pi 3, 4 or 5: gpiod for GPIO, linuxfs for I2C and PWM. Refuses to run on mocks. */
    PI("pi"),
    /** The simulated board: Pi4J mock providers, register-map fakes and a fake sysfs tree. */
    SIMULATED("simulated");

    private final String code;

    BoardType(String code) {
        this.code = code;
    }

    /** The name used in the YAML file. */
    public String code() {
        return code;
    }
}
