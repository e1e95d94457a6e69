/**
 * Device events ({@code events} topic): {@link dev.fleetlet.agent.events.EventPublisher} numbers each event
 * with a sequence that keeps growing across restarts ({@link dev.fleetlet.agent.events.EventSequence}
 * reserves blocks on disk), encodes it with the protocol codec and publishes it with QoS 1; events raised
 * while the broker is unreachable wait in a small bounded buffer and go out after the next connect.
 */
package dev.fleetlet.agent.events;
