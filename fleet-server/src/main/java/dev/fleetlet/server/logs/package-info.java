/**
 * Logs on demand (docs/protocol.md, "Logs on demand").
 *
 * <p>Data flow: an operator posts {@code {source, lines}} to {@link dev.fleetlet.server.logs.LogsController};
 * it registers the request in {@link dev.fleetlet.server.logs.LogRequests} and sends the {@code logs} command over
 * the broker. The device's command answer (accepted with a chunk count, or refused with a reason) and then its
 * chunks on {@code fleetlet/v1/devices/{id}/logs} (handed over by the broker's inbound interceptor through
 * {@link dev.fleetlet.server.broker.LogChunkSink}) update the request in memory, bounded in count and bytes and
 * forgotten after a while; nothing is stored in the database. The API and the dashboard's Logs panel poll it.
 */
package dev.fleetlet.server.logs;
