package dev.fleetlet.agent.runtime;

import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RuncSupervisor}'s mutable record of one container: lifecycle, restart bookkeeping and the
 * health probe state machine. Guarded by its own monitor; only the supervisor touches it.
 */
final class SupervisedContainer {
    private static final Logger log = LoggerFactory.getLogger(SupervisedContainer.class);

    final String id;
    final ContainerSpec spec;
    final RestartBackoff backoff;
    RestartRule rule;
    HealthCheck check;
    ServiceState.State state = ServiceState.State.CREATED;
    Health health = Health.NONE;
    int restarts;
    Integer lastExitCode;
    boolean oomKilled;
    Instant startedAt;
    String lastError;
    Instant restartAt;
    boolean released;
    ServiceState published;

    private ContainerRuntime.ExecHandle probe;
    private Instant probeDeadline;
    private Instant nextProbeAt;
    private int failures;

    SupervisedContainer(ContainerSpec spec, RestartRule rule, HealthCheck check, RestartBackoff backoff) {
        this.id = spec.id();
        this.spec = spec;
        this.rule = rule;
        this.check = check;
        this.backoff = backoff;
    }

    ServiceState snapshot() {
        return new ServiceState(id, state, health, restarts, lastExitCode, oomKilled, startedAt, lastError);
    }

    /** A (re)start happened at {@code at}: RUNNING, health probing starts over. */
    void started(Instant at) {
        state = ServiceState.State.RUNNING;
        startedAt = at;
        restartAt = null;
        backoff.started();
        resetHealth(at);
    }

    /** {@code supervise} again with the same spec: new rule and check take effect; a new check starts over. */
    void reconfigure(RestartRule newRule, HealthCheck newCheck, Instant now) {
        rule = newRule;
        if (!java.util.Objects.equals(check, newCheck)) {
            check = newCheck;
            if (state == ServiceState.State.RUNNING) {
                resetHealth(now);
            }
        }
    }

    private void resetHealth(Instant now) {
        stopProbe();
        failures = 0;
        health = check == null ? Health.NONE : Health.STARTING;
        nextProbeAt = check == null ? null : now.plus(check.interval());
    }

    /** Collects a finished probe, kills one past its timeout, or starts the next one when due. */
    void probeStep(ContainerRuntime runtime, Instant now) {
        if (check == null) {
            return;
        }
        if (probe != null) {
            Optional<Integer> code = probe.exitCode();
            if (code.isPresent()) {
                probe = null;
                nextProbeAt = now.plus(check.interval());
                result(code.get() == 0, now, "exit code " + code.get());
            } else if (!now.isBefore(probeDeadline)) {
                probe.kill();
                probe = null;
                nextProbeAt = now.plus(check.interval());
                result(false, now, "timed out after " + check.timeout().toMillis() + " ms");
            }
            return;
        }
        if (nextProbeAt != null && !now.isBefore(nextProbeAt)) {
            try {
                probe = runtime.exec(id, check.command());
                probeDeadline = now.plus(check.timeout());
            } catch (RuntimeException e) {
                nextProbeAt = now.plus(check.interval());
                result(false, now, e.getMessage());
            }
        }
    }

    private void result(boolean ok, Instant now, String detail) {
        if (ok) {
            failures = 0;
            health = Health.HEALTHY;
            return;
        }
        if (startedAt != null && now.isBefore(startedAt.plus(check.startPeriod()))) {
            log.debug("health probe failed in start period id={} detail={}", id, detail);
            return;
        }
        failures++;
        log.info("health probe failed id={} consecutive={} retries={} detail={}", id, failures, check.retries(), detail);
        if (failures >= check.retries()) {
            health = Health.UNHEALTHY;
        }
    }

    void stopProbe() {
        if (probe != null) {
            probe.kill();
            probe = null;
        }
    }
}
