/**
 * Implementation details of releases: JDBC repository, the secret cipher and its key source, the table-based
 * reference check, and the OCI-backed digest resolver.
 */
package dev.fleetlet.server.release.internal;
