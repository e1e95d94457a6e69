/**
 * Implementation details of the container runtime: {@link dev.fleetlet.agent.runtime.internal.LinuxCalls}, the C
 * library calls ({@code mount}, {@code umount2}, {@code mkfifo}) that the start path makes in-process instead of
 * starting host tools. Callers ({@code runtime.ContainerShim}, {@code image.OverlayMount}) ask
 * {@code available()} first and fall back to the tools when JNA cannot load.
 */
package dev.fleetlet.agent.runtime.internal;
