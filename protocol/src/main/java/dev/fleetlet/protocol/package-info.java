/**
 * The MQTT v5 wire contract of Fleetlet, protocol version 1: topic names ({@link dev.fleetlet.protocol.Topics},
 * {@link dev.fleetlet.protocol.TopicKind}) and broker access rules ({@link dev.fleetlet.protocol.Acl}).
 *
 * <p>Data flow: the agent builds a topic with {@code Topics}, encodes a record from {@code message}
 * with {@code codec.ProtocolCodec} and publishes it with the QoS and retain flag of its
 * {@code TopicKind}; the server's broker checks the publish against {@code Acl}, parses the topic with
 * {@code Topics.parse} and decodes the payload with the same codec. Neither side depends on the other:
 * both depend on this module only. The full contract is docs/protocol.md.
 */
package dev.fleetlet.protocol;
