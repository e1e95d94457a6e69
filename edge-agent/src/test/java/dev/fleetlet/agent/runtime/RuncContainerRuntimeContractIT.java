package dev.fleetlet.agent.runtime;

import dev.fleetlet.agent.containertest.RuncFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class RuncContainerRuntimeContractIT extends ContainerRuntimeContract {
    @TempDir
    Path tmp;

    private RuncFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RuncFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        fx.cleanUp();
    }

    @Override
    protected ContainerRuntime runtime() {
        return fx.runtime;
    }

    @Override
    protected Path rootfs() throws Exception {
        Path existing = tmp.resolve("rootfs");
        return java.nio.file.Files.exists(existing) ? existing : fx.busyboxRootfs("rootfs");
    }
}
