package dev.fleetlet.server.rollout;

import dev.fleetlet.protocol.message.Release;
import java.util.Objects;

/**
 * A release as the rollout engine needs it: the content a desired state carries and what a device must
 * offer to run it.
 *
 * @param release  the digest-pinned release sent to devices inside their desired state
 * @param requires the device capabilities the release needs; {@link RequiredCapabilities#NONE} for none
 */
public record CatalogRelease(Release release, RequiredCapabilities requires) {

    public CatalogRelease {
        Objects.requireNonNull(release, "release");
        requires = requires == null ? RequiredCapabilities.NONE : requires;
    }
}
