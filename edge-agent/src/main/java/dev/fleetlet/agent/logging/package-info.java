/**
 * Recent agent log lines for the {@code logs} command. The agent logs with slf4j-simple to standard error;
 * {@link dev.fleetlet.agent.logging.LogCapture#install} replaces {@code System.err} with a tee that still
 * writes everything to the original stream (the journal) and splits it into lines for a bounded in-memory
 * {@link dev.fleetlet.agent.logging.LogRing}. Chosen over a logback appender because logback added about
 * 8 to 11 MB of RSS to a small JVM in a measurement (see edge-agent/README.md, Commands).
 */
package dev.fleetlet.agent.logging;
