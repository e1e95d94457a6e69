package dev.fleetlet.server.release;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * One release in full.
 *
 * @param spec       the pinned app spec (canonical JSON, as devices receive it), embedded as a JSON object
 * @param compose    the compose text as submitted
 * @param images     per service, the image as written and the digest it was pinned to
 * @param specDigest {@code sha256:} of the canonical pinned spec
 */
@Serdeable
public record ReleaseDetail(String id, String name, String version, String notes, Object spec, String compose,
                            List<PinnedImage> images, ReleaseRequirements requires, String specDigest, Instant createdAt,
                            String createdBy) {
}
