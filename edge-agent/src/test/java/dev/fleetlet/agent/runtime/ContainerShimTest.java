package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.agent.fs.LinuxCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerShimTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "in-process={0}")
    @ValueSource(booleans = {true, false})
    void createsBothFifosOwnerOnlyInProcessOrWithTheTool(boolean inProcess) throws Exception {
        // given
        assertThat(!inProcess || LinuxCalls.available()).as("JNA loads on the build machine").isTrue();

        // when
        ContainerShim.createFifos(dir, inProcess);

        // then
        for (String name : new String[] {ContainerShim.STDOUT, ContainerShim.STDERR}) {
            PosixFileAttributes a = Files.readAttributes(dir.resolve(name), PosixFileAttributes.class);
            assertThat(a.isOther()).as(name + " is a FIFO").isTrue();
            assertThat(PosixFilePermissions.toString(a.permissions())).as(name).isEqualTo("rw-------");
        }
    }

    @Test
    void prepareReplacesOldFifosAndDropsTheRecordsOfAnEarlierRun() throws Exception {
        // given: what an ended run left
        ContainerShim.prepare(dir);
        Files.writeString(dir.resolve(ContainerShim.EXIT), "137\n");
        Files.writeString(dir.resolve(ContainerShim.CONTAINER_PID), "4242");
        Files.writeString(dir.resolve(ContainerShim.PID), "4241");

        // when
        ContainerShim.prepare(dir);

        // then
        assertThat(ContainerShim.exit(dir)).isEmpty();
        assertThat(dir.resolve(ContainerShim.CONTAINER_PID)).doesNotExist();
        assertThat(dir.resolve(ContainerShim.PID)).doesNotExist();
        assertThat(Files.readAttributes(dir.resolve(ContainerShim.STDOUT), PosixFileAttributes.class).isOther()).isTrue();
    }
}
