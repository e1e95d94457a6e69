/**
 * Telemetry ingest, storage, queries and retention.
 *
 * <p>Data flow: the broker's interceptor passes each valid batch to {@link dev.fleetlet.server.telemetry.TelemetryIngest}
 * → exact de-duplication by {@code (deviceId, stream, seq)} (in-memory high-water mark per stream, loaded
 * lazily from {@code telemetry_batch}, pending set, primary key as the final guard) → a queue bounded in readings (full:
 * the device gets QUOTA_EXCEEDED and retries) → one writer thread that inserts batch records, raw readings
 * and per-minute aggregates in one transaction per flush (larger flushes while a backlog drains) → the device's PUBACK. The broker processes a
 * client's publishes in order, so a device has one batch in this pipeline at a time and its throughput is
 * one batch per commit cycle. {@link dev.fleetlet.server.telemetry.TelemetryController} serves
 * {@code GET /api/v1/devices/{id}/telemetry}; {@link dev.fleetlet.server.telemetry.TelemetryRetentionJob}
 * deletes old rows in chunks.
 */
package dev.fleetlet.server.telemetry;
