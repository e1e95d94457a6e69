/**
 * Zero-touch enrollment. Operators create fleet-scoped provisioning tokens
 * ({@link dev.fleetlet.server.enrollment.ProvisioningTokenService}, string shown once, secret hashed); the
 * image carries the token; on first boot the device posts token, serial, its own secret and hardware facts to
 * {@code POST /api/v1/enroll}. {@link dev.fleetlet.server.enrollment.EnrollmentService} checks the token,
 * applies the policy for unknown serials (auto-accept, allowlist, manual approval queue), creates the device in
 * the registry and answers its id and MQTT URI; the device then connects to the broker with its id and secret.
 * Opt-in, the request also carries a PKCS#10 CSR: {@link dev.fleetlet.server.enrollment.DeviceCertificates} has the
 * fleet CA sign it (CN = device id), records it in {@code device_certificates} and answers the chain; the broker's
 * TLS listener then accepts that certificate instead of the secret ({@code fleetlet.mqtt.tls.client-auth}).
 */
package dev.fleetlet.server.enrollment;
