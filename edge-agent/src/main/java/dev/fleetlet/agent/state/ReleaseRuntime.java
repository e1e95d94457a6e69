package dev.fleetlet.agent.state;

import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.util.List;
import java.util.Optional;

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

    /** How a failed install left the device, reported as the state's status. */
    enum Failure {
        /** The new release did not run; the old one was never stopped (or nothing ran). Status {@code failed}. */
        FAILED,
        /** The new release was started and failed; the old one runs again. Status {@code rolled_back}. */
        ROLLED_BACK,
        /** The new release failed and the old one did not come back either. Status {@code rollback_failed}. */
        ROLLBACK_FAILED
    }

    /**
     * A release step failed; the message is reported to the server as the reason and {@link #failure()} says
     * whether the runtime rolled back to the release it replaced.
     */
    final class ReleaseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Failure failure;

        public ReleaseException(String message) {
            this(Failure.FAILED, message, null);
        }

        public ReleaseException(String message, Throwable cause) {
            this(Failure.FAILED, message, cause);
        }

        public ReleaseException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure == null ? Failure.FAILED : failure;
        }

        /** How the device was left; {@link Failure#FAILED} unless the runtime rolled back. */
        public Failure failure() {
            return failure;
        }
    }

    /**
     * Installs and starts {@code release}; when {@code replacing} is not null that release runs now and must
     * be running again if this method throws (unless the exception says {@link Failure#ROLLBACK_FAILED}).
     *
     * @throws ReleaseException with a reason fit for the reported state when the release cannot run, and
     *                          {@link ReleaseException#failure()} saying whether it rolled back
     */
    void install(Release release, String replacing, Progress progress) throws ReleaseException;

    /** Stops and deletes the containers of {@code releaseId}; a release that is not there is not an error. */
    void remove(String releaseId) throws ReleaseException;

    /** Per-service status of the running release, for the reported state; empty when nothing runs. */
    List<ServiceStatus> services();

    /**
     * The release the runtime runs, as its own records say (after a restart: the one its recovery settled on);
     * empty when none. The reconciler plans from this when it differs from the applied state it keeps itself.
     */
    Optional<Release> running();

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

            @Override
            public Optional<Release> running() {
                return Optional.empty();
            }
        };
    }
}
