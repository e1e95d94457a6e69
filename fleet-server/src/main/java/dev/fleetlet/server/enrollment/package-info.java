/**
 * Zero-touch enrollment. Operators create fleet-scoped provisioning tokens
 * ({@link dev.fleetlet.server.enrollment.ProvisioningTokenService}, string shown once, secret hashed); the
 * image carries the token; on first boot the device posts token, serial, its own secret and hardware facts to
 * {@code POST /api/v1/enroll}. {@link dev.fleetlet.server.enrollment.EnrollmentService} checks the token,
 * applies the policy for unknown serials (auto-accept, allowlist, manual approval queue), creates the device in
 * the registry and answers its id and MQTT URI; the device then connects to the broker with its id and secret.
 */
package dev.fleetlet.server.enrollment;
