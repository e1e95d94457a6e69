/**
 * Small filesystem helpers shared by the agent's features: atomic, durable replacement of small
 * files (write temp, fsync, rename, fsync directory) with explicit permissions, and {@link
 * dev.fleetlet.agent.fs.LinuxCalls}, the C library calls ({@code mount}, {@code umount2}, {@code mkfifo}) that the
 * container start path makes in-process instead of starting host tools. Its callers ({@code runtime.ContainerShim},
 * {@code image.OverlayMount}) ask {@code available()} first and fall back to the tools when JNA cannot load.
 */
package dev.fleetlet.agent.fs;
