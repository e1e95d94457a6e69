/**
 * The Fleetlet fleet server. {@link dev.fleetlet.server.FleetServer} starts Micronaut: Flyway migrates the
 * database (H2 file under {@code fleetlet.data-dir} unless {@code datasources.default.url} points at PostgreSQL),
 * the embedded broker (package {@code broker}) authenticates devices through the core's client directory and
 * reports presence to the registry, and the HTTP API serves operators and enrolling devices. Feature packages:
 * {@code device} (registry, selectors), {@code enrollment}, {@code auth}, {@code events}, {@code api} (errors,
 * paging, OpenAPI), {@code ops}, {@code broker}, {@code telemetry}. Configuration keys are listed in
 * {@code application.yml}; every key can be overridden by an environment variable.
 */
package dev.fleetlet.server;
