/**
 * Client side of the fleet server's admin REST API: {@link dev.fleetlet.provisioning.api.FleetApi} sends JSON
 * over {@code java.net.http} with a bearer API token (or, once at login, Basic credentials) and turns
 * {@code application/problem+json} answers into {@link dev.fleetlet.provisioning.api.ApiProblemException}
 * and missing answers into {@link dev.fleetlet.provisioning.api.ServerUnreachableException}.
 */
package dev.fleetlet.provisioning.api;
