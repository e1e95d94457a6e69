/**
 * {@code fleetctl}: picocli commands. {@link dev.fleetlet.provisioning.Fleetctl} maps failures to exit codes;
 * API commands read the stored {@link dev.fleetlet.provisioning.ProfileStore profile} and call the server
 * through {@link dev.fleetlet.provisioning.api.FleetApi}; {@code image inject} validates the settings, checks
 * the token ({@link dev.fleetlet.provisioning.TokenCheck}) and hands them to
 * {@link dev.fleetlet.provisioning.image.ImageTool}.
 */
package dev.fleetlet.provisioning;
