package dev.fleetlet.server.auth;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Operator roles. Admin: everything, including users and service accounts. Operator: devices, enrollment,
 * provisioning tokens. Viewer: read-only. Endpoints name the roles they admit in {@code @Secured}.
 */
@Serdeable
public enum Role {
    ADMIN, OPERATOR, VIEWER
}
