/**
 * Running and supervising containers on the board.
 *
 * <p>Data flow: a {@link dev.fleetlet.agent.runtime.ContainerSpec} (rootfs from the image store,
 * process, volumes, devices, {@link dev.fleetlet.agent.runtime.Resources}) goes to the
 * {@link dev.fleetlet.agent.runtime.Supervisor} (the release layer's entry point), which runs it through
 * the {@link dev.fleetlet.agent.runtime.ContainerRuntime} port. The runc implementation turns it into
 * an OCI {@code config.json} with {@link dev.fleetlet.agent.runtime.OciSpecGenerator} (namespaces,
 * dropped capabilities, cgroup limits under {@code /fleetlet/<id>}, named volumes from
 * {@link dev.fleetlet.agent.runtime.VolumeStore}), records its SHA-256 in the container's
 * {@code meta.json}, and starts it through {@link dev.fleetlet.agent.runtime.Runc}. Usage figures come
 * back from the cgroup files through {@link dev.fleetlet.agent.runtime.CgroupStatsReader}, for the v1
 * or v2 layout found by {@link dev.fleetlet.agent.runtime.CgroupLayout}.
 *
 * <p><b>Containers outlive the agent.</b> Chosen design: each container runs under a small shim,
 * {@code setsid /bin/sh -c ...} ({@link dev.fleetlet.agent.runtime.ContainerShim}), that keeps a
 * foreground {@code runc run} as its child. Why this and not {@code runc run --detach}: a detached
 * container's init is reparented to PID 1 (the JVM cannot become a child subreaper without native
 * code), which reaps it and throws the exit status away; polling {@code runc state} only tells that it
 * stopped. The foreground {@code runc run} is the container's reaper and exits with its status
 * (128+signal when killed), and the shim, not the agent, is runc's parent: it writes that status to
 * the {@code exit} file whether or not an agent runs. The cost is one {@code sh} and one {@code runc}
 * process per container (the previous design already had the {@code runc run}). The agent detects an
 * exit by a stat of that file on each supervisor tick (250 ms by default), without waiting on any
 * process, so adopted containers are watched exactly like its own children.
 *
 * <p><b>Logs across restarts.</b> The container's stdout/stderr (through runc) go into two FIFOs that
 * the shim holds open read-write for its whole life: the container never gets SIGPIPE/EPIPE, whether
 * or not an agent reads. Each {@link dev.fleetlet.agent.runtime.LogPump} (one thread per stream,
 * blocked in {@code read}) copies a FIFO into a size-bounded {@link dev.fleetlet.agent.runtime.RotatingLogFile};
 * a new agent re-opens the FIFOs and continues where the old one stopped, losing nothing that was
 * not yet read. Bounded blocking, accepted and documented: while no agent reads, a container that
 * writes more than the pipes hold (64 KiB in the FIFO plus runc's own 64 KiB pipe, per stream) blocks
 * in {@code write} until an agent comes back (systemd restarts it within seconds); nothing is dropped
 * and memory stays bounded. After the container exits the shim lingers (an {@code exec sleep}) still
 * holding the FIFOs, so output nobody has read yet is not discarded; the agent kills it once its pumps
 * are attached, and the pumps then read to end-of-file. If the shim itself is killed (e.g. a systemd
 * unit without {@code KillMode=process}), the exit status of its container is unknowable: the
 * container is reported EXITED with a null exit code and counted as a failure.
 *
 * <p><b>Supervision.</b> {@link dev.fleetlet.agent.runtime.RuncSupervisor} runs one scheduler thread for
 * all containers: it applies the {@link dev.fleetlet.agent.runtime.RestartRule} with
 * {@link dev.fleetlet.agent.runtime.RestartBackoff} (doubling delays, reset after a healthy run, never
 * latching; {@code on-failure:max} gives up after max), runs {@link dev.fleetlet.agent.runtime.HealthCheck}
 * probes as {@code runc exec} child processes (the probe's own process is SIGKILLed at the timeout,
 * while {@code runc exec} stays its reaper so no zombie is left to the container's init), and marks
 * OOM kills (exit 137 with the cgroup's {@code oom_kill} or fail counter raised). A new supervisor adopts
 * every container present on the root so its log capture resumes immediately; it supervises one again
 * (same pid, no restart) when the release layer calls {@code supervise} with a spec of the same hash.
 */
package dev.fleetlet.agent.runtime;
