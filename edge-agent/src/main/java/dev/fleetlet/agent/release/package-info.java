/**
 * Releases as containers. The state package's {@code Executor} calls {@link
 * dev.fleetlet.agent.release.ContainerReleaseRuntime} (a {@code ReleaseRuntime}) with a release; the runtime
 * reads its app spec, pulls the images and assembles one rootfs per container through {@link
 * dev.fleetlet.agent.release.ReleaseImages}, attaches the app's network, translates every service into a
 * {@code ContainerSpec} ({@link dev.fleetlet.agent.release.ContainerSpecs}), and hands them to the
 * {@code Supervisor} in {@code depends_on} order, per the app's update strategy. Each phase is journaled
 * atomically before it acts, so {@code recover()} at agent start leaves exactly one release running.
 */
package dev.fleetlet.agent.release;
