/**
 * The app spec: the Compose subset a release is written in (reference: docs/app-spec.md).
 *
 * <p>Data flow: the fleet server parses the user's YAML with {@link dev.fleetlet.protocol.app.AppSpecParser},
 * pins the images ({@link dev.fleetlet.protocol.app.AppSpec#withPinnedImages}), stores the canonical JSON
 * of {@link dev.fleetlet.protocol.app.AppSpecJson} and compares releases with
 * {@link dev.fleetlet.protocol.app.AppSpecDiff}. That JSON travels in {@code Release.spec} inside the
 * desired state; {@code ProtocolCodec} validates it with the same parser when decoding, and the edge agent
 * reads it with {@link dev.fleetlet.protocol.app.AppSpecJson#fromJson}. Everything here is immutable and
 * free of I/O.
 */
package dev.fleetlet.protocol.app;
