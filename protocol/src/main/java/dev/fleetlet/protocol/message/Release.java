package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A release as carried in a desired state: an immutable, digest-pinned app spec.
 *
 * @param id      the release id, unique in the fleet
 * @param name    the app name
 * @param version the release's human version label
 * @param spec    the app spec (the compose subset documented in docs/app-spec.md), images pinned by digest
 */
public record Release(String id, String name, String version, JsonNode spec) {
}
