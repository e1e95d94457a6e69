package dev.fleetlet.agent.command;

import dev.fleetlet.agent.release.ContainerSpecs;
import dev.fleetlet.protocol.app.AppSpecJson;
import dev.fleetlet.protocol.message.Release;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Read-only port to the container log files of the services of the running release, for the {@code logs}
 * command's service sources. The files are the container runtime's rotating {@code stdout.log} /
 * {@code stderr.log} (plus {@code .1}, {@code .2}, ... older segments) in each container's {@code logs} directory.
 */
public interface ServiceLogs {

    /** No release runs (or no container runtime): no services. */
    ServiceLogs NONE = new ServiceLogs() {
        @Override
        public List<String> services() {
            return List.of();
        }

        @Override
        public Optional<Path> logDir(String service) {
            return Optional.empty();
        }
    };

    /** The service names of the running release, empty when none runs. */
    List<String> services();

    /** The directory holding the service's {@code stdout.log} and {@code stderr.log}; empty for an unknown service. */
    Optional<Path> logDir(String service);

    /**
     * The logs of the release {@code current} supplies (null: none runs), in the layout of the runc container
     * runtime: {@code <containers>/<container id>/logs}, the container id from
     * {@link ContainerSpecs#containerId(String, String, String)}. A release whose spec cannot be read has no services.
     */
    static ServiceLogs ofRelease(Supplier<Release> current, Path containers) {
        return new ServiceLogs() {
            @Override
            public List<String> services() {
                Release r = current.get();
                if (r == null || r.spec() == null) {
                    return List.of();
                }
                try {
                    return List.copyOf(AppSpecJson.fromJson(r.spec(), r.name()).services().keySet());
                } catch (RuntimeException e) {
                    return List.of();
                }
            }

            @Override
            public Optional<Path> logDir(String service) {
                Release r = current.get();
                if (r == null || !services().contains(service)) {
                    return Optional.empty();
                }
                return Optional.of(containers.resolve(ContainerSpecs.containerId(r.name(), service, r.id())).resolve("logs"));
            }
        };
    }
}
