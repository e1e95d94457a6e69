package dev.fleetlet.drivers.board;

/**
 * What the filesystem says about the machine we run on.
 *
 * @param model      the model string from {@code /proc/device-tree/model} or {@code /proc/cpuinfo},
 *                   or {@code unknown} when neither names one
 * @param source     the file the model came from, for messages
 * @param generation Raspberry Pi generation (3, 4, 5), or 0 when not a Raspberry Pi or not recognised
 */
public record DetectedBoard(String model, String source, int generation) {

    public static final DetectedBoard UNKNOWN = new DetectedBoard("unknown", "none", 0);

    /** True when the model names a Raspberry Pi (any generation). */
    public boolean raspberryPi() {
        return model.startsWith("Raspberry Pi");
    }

    /** True for the generations Fleetlet supports: Pi 3, 4, 5 (and their Compute Module/400/500 variants). */
    public boolean supported() {
        return raspberryPi() && generation >= 3 && generation <= 5;
    }

    /** True on boards with the RP1 I/O chip (Pi 5 family), where PWM is {@code pwmchip2}. */
    public boolean usesRp1() {
        return generation == 5;
    }
}
