package dev.fleetlet.agent.state;

import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.util.List;

/**
 * The port through which the {@link Executor} runs release steps. The container runtime implements it
 * (pull images, create and start containers, wait for health, roll back); until then
 * {@link #unavailable()} fails every release step honestly.
 *
 * <p>Implementations must be idempotent: after an agent restart in the middle of a step, the same step
 * is executed again.
 */
public interface ReleaseRuntime {

    /** Progress callbacks, turned into {@code update.*} events by the executor. */
    interface Progress {
        /** Image download progress; called at most every 2 s per image. */
        void downloading(long bytes, Long totalBytes, String message);

        /** Containers are being started. */
        void starting(String message);

        /** Every service passed its health check. */
        void healthy(String message);
    }

    /** A release step failed; the message is reported to the server as the reason. */
    final class ReleaseException extends Exception {
        private static final long serialVersionUID = 1L;

        public ReleaseException(String message) {
            super(message);
        }

        public ReleaseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Installs and starts {@code release}; when {@code replacing} is not null that release runs now and must
     * be running again if this method throws.
     *
     * @throws ReleaseException with a reason fit for the reported state when the release cannot run
     */
    void install(Release release, String replacing, Progress progress) throws ReleaseException;

    /** Stops and deletes the containers of {@code releaseId}; a release that is not there is not an error. */
    void remove(String releaseId) throws ReleaseException;

    /** Per-service status of the running release, for the reported state; empty when nothing runs. */
    List<ServiceStatus> services();

    /** The reason every release step fails with in a build without a container runtime. */
    String UNAVAILABLE_REASON = "container runtime not available in this build";

    /** A runtime that cannot run anything: every install and remove fails with {@link #UNAVAILABLE_REASON}. */
    static ReleaseRuntime unavailable() {
        return new ReleaseRuntime() {
            @Override
            public void install(Release release, String replacing, Progress progress) throws ReleaseException {
                throw new ReleaseException(UNAVAILABLE_REASON);
            }

            @Override
            public void remove(String releaseId) throws ReleaseException {
                throw new ReleaseException(UNAVAILABLE_REASON);
            }

            @Override
            public List<ServiceStatus> services() {
                return List.of();
            }
        };
    }
}
