package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeContainerRuntimeTest extends ContainerRuntimeContract {
    private final FakeContainerRuntime fake = new FakeContainerRuntime(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Override
    protected ContainerRuntime runtime() {
        return fake;
    }

    @Override
    protected Path rootfs() {
        return Path.of("/fake/rootfs");
    }

    @Test
    void aCrashIsVisibleAsAnExitWithTheGivenCode() {
        fake.start(ContainerSpec.builder("svc", rootfs(), List.of("sleep", "60")).build());

        fake.crash("svc", 137);

        assertThat(fake.status("svc").orElseThrow().killedBySigkill()).isTrue();
        assertThat(fake.calls()).containsExactly("start svc");
    }
}
