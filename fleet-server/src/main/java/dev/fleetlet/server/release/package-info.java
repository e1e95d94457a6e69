/**
 * Releases: named, immutable, digest-pinned app specs, and the registry credentials used to pin them.
 *
 * <p>Flow of a create: the compose text is parsed into an app spec (problems name key paths), every image tag is
 * resolved to a digest through {@link dev.fleetlet.server.release.ImageDigestResolver} with the credentials of
 * {@link dev.fleetlet.server.release.RegistryCredentialService} (secrets AES-GCM encrypted at rest, never returned or
 * logged), and the pinned spec is stored as canonical JSON next to the original text through
 * {@link dev.fleetlet.server.release.ReleaseRepository}. Deletion asks
 * {@link dev.fleetlet.server.release.ReleaseReferences} whether pins, desired states or rollouts still use the release.
 * Operator docs: {@code docs/releases.md}.
 */
package dev.fleetlet.server.release;
