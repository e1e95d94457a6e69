/**
 * Who may do what. Operators: {@link dev.fleetlet.server.auth.UserService} (roles admin/operator/viewer,
 * passwords hashed by {@link dev.fleetlet.server.auth.SecretHasher}) behind HTTP Basic
 * ({@link dev.fleetlet.server.auth.BasicAuthProvider}) and bearer API tokens
 * ({@link dev.fleetlet.server.auth.BearerTokenFetcher}); the first admin comes from
 * {@link dev.fleetlet.server.auth.InitialAdmin}. MQTT clients: {@link dev.fleetlet.server.auth.FleetClientDirectory}
 * answers the broker for devices (enrollment secret) and telemetry readers (service accounts). Every secret is
 * stored as a salted PBKDF2 hash, shown once at creation, and verified through a per-process
 * {@link dev.fleetlet.server.auth.VerificationCache}.
 */
package dev.fleetlet.server.auth;
