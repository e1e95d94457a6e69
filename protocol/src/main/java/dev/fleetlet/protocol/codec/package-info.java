/**
 * JSON encoding and validating decoding of protocol payloads. Untrusted bytes go through
 * {@link dev.fleetlet.protocol.codec.ProtocolCodec#decode}: size limit, UTF-8, JSON syntax, version,
 * JSON Schema, record binding; the result is a {@link dev.fleetlet.protocol.codec.Decoded} that is
 * either the record or a {@link dev.fleetlet.protocol.codec.Rejection} naming the field. Encoding runs
 * the same checks and refuses to produce an invalid payload.
 */
package dev.fleetlet.protocol.codec;
