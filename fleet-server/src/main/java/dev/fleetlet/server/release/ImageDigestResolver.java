package dev.fleetlet.server.release;

/**
 * Port: resolves an image reference's tag to the digest its registry serves for it right now, with the
 * stored credentials of that registry ({@link RegistryCredentialService#forHost}). A reference that is
 * pinned already ({@code @sha256:...}) is checked to exist and returned with that digest.
 *
 * <p>Blocking; one registry round trip (a HEAD, or a GET when the registry omits the digest header) plus
 * the token exchange of bearer-auth registries.
 */
public interface ImageDigestResolver {

    /**
     * @param image the reference as written in the compose ({@code 10.0.0.5:5000/app:v1}, {@code nginx})
     * @return the digest and the pinned reference
     * @throws ImageResolutionException naming the image, with a {@link ImageResolutionException.Kind}
     */
    ResolvedImage resolve(String image);

    /**
     * @param pinned    {@code <registry>/<repository>[:tag]@sha256:<hex>}
     * @param digest    {@code sha256:<hex>}
     * @param mediaType media type of the manifest or index the registry serves
     */
    record ResolvedImage(String pinned, String digest, String mediaType) {
    }
}
