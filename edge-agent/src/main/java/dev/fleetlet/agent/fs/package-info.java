/**
 * Small filesystem helpers shared by the agent's features: atomic, durable replacement of small
 * files (write temp, fsync, rename, fsync directory) with explicit permissions.
 */
package dev.fleetlet.agent.fs;
