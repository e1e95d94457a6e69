package dev.fleetlet.hil.agente2e;

import static org.awaitility.Awaitility.await;

import dev.fleetlet.hil.agent.AgentProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/** Helpers shared by the agent end-to-end tests: work folders and waits that attach the agents' logs on failure. */
final class E2e {

    /** Admin password of the servers these tests start. */
    static final String ADMIN_PASSWORD = "agent-e2e-admin-password-0123456789";

    private E2e() {
    }

    /**
     * A fresh folder for one test class under the build folder ({@code fleetlet.agent.workDir}, set by the pom),
     * so the agents' logs stay for a look after a failure.
     */
    static Path workDir(Class<?> testClass) {
        Path base = Path.of(System.getProperty("fleetlet.agent.workDir", "target/agent-e2e"));
        Path dir = base.resolve(testClass.getSimpleName() + "-" + System.currentTimeMillis());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds; on timeout fails with {@code what} and the agents' log tails. */
    static void until(String what, Duration atMost, Callable<Boolean> condition, AgentProcess... agents) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(agents), e);
        }
    }

    /** Waits until {@code assertion} passes; on timeout fails with its last failure and the agents' log tails. */
    static void untilAsserted(String what, Duration atMost, ThrowingRunnable assertion, AgentProcess... agents) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(250)).untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(agents), e);
        }
    }

    static String describe(AgentProcess... agents) {
        return Arrays.stream(agents).map(AgentProcess::describe).collect(Collectors.joining("\n"));
    }
}
