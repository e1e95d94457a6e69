/**
 * Cross-cutting HTTP API pieces: the {@link dev.fleetlet.server.api.ErrorCode} enum and
 * {@link dev.fleetlet.server.api.ProblemHandler}, the one place that renders every error as
 * {@code application/problem+json}; {@link dev.fleetlet.server.api.Page} for list answers; the OpenAPI header.
 * Controllers live in their feature packages and throw {@link dev.fleetlet.server.api.ApiException}.
 */
package dev.fleetlet.server.api;
