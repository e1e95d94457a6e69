/**
 * Running containers on the board.
 *
 * <p>Data flow: a {@link dev.fleetlet.agent.runtime.ContainerSpec} (rootfs from the image store,
 * process, volumes, devices, {@link dev.fleetlet.agent.runtime.Resources}) goes to the
 * {@link dev.fleetlet.agent.runtime.ContainerRuntime} port. The runc implementation turns it into
 * an OCI {@code config.json} with {@link dev.fleetlet.agent.runtime.OciSpecGenerator} (namespaces,
 * dropped capabilities, cgroup limits under {@code /fleetlet/<id>}, named volumes from
 * {@link dev.fleetlet.agent.runtime.VolumeStore}), starts {@code runc run} through
 * {@link dev.fleetlet.agent.runtime.Runc}, and pumps the container's stdout/stderr into
 * {@link dev.fleetlet.agent.runtime.RotatingLogFile}s. Usage figures come back from the cgroup
 * files through {@link dev.fleetlet.agent.runtime.CgroupStatsReader}, for the v1 or v2 layout
 * found by {@link dev.fleetlet.agent.runtime.CgroupLayout}.
 * {@link dev.fleetlet.agent.runtime.RestartBackoff} decides when a crashed container is started
 * again.
 */
package dev.fleetlet.agent.runtime;
