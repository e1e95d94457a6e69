/**
 * The payload records of protocol v1, one per message type, bound to JSON by
 * {@link dev.fleetlet.protocol.codec.ProtocolCodec}. Enumerations travel as their lowercase wire names
 * ({@link dev.fleetlet.protocol.message.WireEnum}); null fields are omitted on the wire. Records carry
 * no validation of their own: the JSON Schemas under {@code dev/fleetlet/protocol/schema} are the
 * rules, checked on encode and decode.
 */
package dev.fleetlet.protocol.message;
