package dev.fleetlet.server.release;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One service's image as resolved when its release was created.
 *
 * @param service   the service name in the app spec
 * @param image     the image reference as written in the compose ({@code 10.0.0.5:5000/app:v1})
 * @param pinned    the reference the release runs ({@code 10.0.0.5:5000/app:v1@sha256:...})
 * @param digest    the manifest (or index) digest, {@code sha256:<hex>}
 * @param mediaType the media type of that document (an index stays an index; devices pick their platform)
 */
@Serdeable
public record PinnedImage(String service, String image, String pinned, String digest, String mediaType) {
}
