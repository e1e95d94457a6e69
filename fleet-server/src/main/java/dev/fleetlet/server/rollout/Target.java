package dev.fleetlet.server.rollout;

import dev.fleetlet.server.device.selector.Selector;

/**
 * Which devices a rollout is for: those matching {@code selector}, minus devices pinned to another
 * release, devices lacking the release's {@code requires} capabilities, decommissioned devices and devices
 * already running the release. Pins are read from each device ({@link DeviceSnapshot#pinnedRelease()}),
 * so a pin set on a device always wins over any rollout.
 *
 * @param releaseId the release (or config revision) the rollout brings
 * @param selector  label selector; {@link Selector#ALL} targets every device
 * @param requires  capabilities the release needs
 */
public record Target(String releaseId, Selector selector, RequiredCapabilities requires) {

    public Target {
        selector = selector == null ? Selector.ALL : selector;
        requires = requires == null ? RequiredCapabilities.NONE : requires;
    }
}
