package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ContainerRuntime} must have; run against the fake and against runc. */
abstract class ContainerRuntimeContract {

    protected abstract ContainerRuntime runtime();

    protected abstract Path rootfs() throws Exception;

    @Test
    void aStartedSleeperIsRunningUntilStopped() throws Exception {
        runtime().start(ContainerSpec.builder("sleeper", rootfs(), List.of("sleep", "60")).build());

        assertThat(runtime().status("sleeper").orElseThrow().state()).isEqualTo(ContainerStatus.State.RUNNING);
        assertThat(runtime().list()).contains("sleeper");
        runtime().stop("sleeper", Duration.ofSeconds(1));

        ContainerStatus stopped = runtime().status("sleeper").orElseThrow();
        assertThat(stopped.state()).isEqualTo(ContainerStatus.State.EXITED);
        assertThat(stopped.exitCode()).as("SIGTERM, or SIGKILL after the grace period (pid 1 may ignore TERM)").isIn(143, 137);
    }

    @Test
    void reportsTheExitCodeOfAContainerThatEnds() throws Exception {
        runtime().start(ContainerSpec.builder("failing", rootfs(), List.of("sh", "-c", "exit 3")).build());

        assertThat(runtime().awaitExit("failing", Duration.ofSeconds(10))).contains(3);
        assertThat(runtime().status("failing").orElseThrow().exitCode()).isEqualTo(3);
    }

    @Test
    void refusesToStartAnIdTwiceAndRemoveIsIdempotent() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("twice", rootfs(), List.of("sleep", "60")).build();
        runtime().start(spec);

        assertThatThrownBy(() -> runtime().start(spec)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
        runtime().remove("twice");
        runtime().remove("twice");
        assertThat(runtime().status("twice")).isEmpty();
        assertThat(runtime().list()).doesNotContain("twice");
    }

    @Test
    void unknownIdsHaveNoStatusAndCannotBeStopped() {
        assertThat(runtime().status("ghost")).isEmpty();
        assertThatThrownBy(() -> runtime().stop("ghost", Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recordsTheSpecHashWhichChangesWithTheSpec() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("hashed", rootfs(), List.of("sleep", "60")).env("A", "1").build();
        ContainerSpec other = ContainerSpec.builder("hashed", rootfs(), List.of("sleep", "60")).env("A", "2").build();

        runtime().start(spec);

        ContainerRuntime.ContainerInfo info = runtime().info("hashed").orElseThrow();
        assertThat(info.specHash()).isEqualTo(runtime().specHash(spec)).isNotEqualTo(runtime().specHash(other));
        assertThat(info.createdAt()).isNotNull();
        assertThat(runtime().info("ghost")).isEmpty();
    }

    @Test
    void adoptsAPresentContainerAndRefusesAnUnknownOne() throws Exception {
        runtime().start(ContainerSpec.builder("adoptee", rootfs(), List.of("sleep", "60")).build());

        assertThat(runtime().adopt("adoptee").state()).isEqualTo(ContainerStatus.State.RUNNING);
        assertThatThrownBy(() -> runtime().adopt("ghost")).isInstanceOf(IllegalStateException.class).hasMessageContaining("ghost");
    }

    @Test
    void execRunsACommandInARunningContainerOnly() throws Exception {
        runtime().start(ContainerSpec.builder("execd", rootfs(), List.of("sleep", "60")).build());
        runtime().start(ContainerSpec.builder("done", rootfs(), List.of("sh", "-c", "exit 0")).build());
        runtime().awaitExit("done", Duration.ofSeconds(10));

        ContainerRuntime.ExecHandle h = runtime().exec("execd", List.of("true"));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.exitCode().isPresent());
        assertThat(h.exitCode()).contains(0);
        assertThatThrownBy(() -> runtime().exec("done", List.of("true"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
    }

    @Test
    void detachLeavesContainersRunning() throws Exception {
        runtime().start(ContainerSpec.builder("kept", rootfs(), List.of("sleep", "60")).build());

        runtime().detach();

        assertThat(runtime().list()).contains("kept");
        assertThat(runtime().status("kept").orElseThrow().state()).isEqualTo(ContainerStatus.State.RUNNING);
    }
}
