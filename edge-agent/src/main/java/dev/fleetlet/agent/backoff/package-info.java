/** Jittered exponential back-off shared by the enrollment retry loop and the MQTT reconnect loop. */
package dev.fleetlet.agent.backoff;
