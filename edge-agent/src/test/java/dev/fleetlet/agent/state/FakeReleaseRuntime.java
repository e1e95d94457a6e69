package dev.fleetlet.agent.state;

import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A release runtime that records calls and succeeds, or fails installs with a given reason. */
final class FakeReleaseRuntime implements ReleaseRuntime {

    final List<String> calls = new ArrayList<>();
    /** What the runtime runs: set by a successful install, cleared by a remove of it; tests may set it. */
    Release running;
    String failInstallWith;
    ReleaseRuntime.Failure failInstallAs = ReleaseRuntime.Failure.FAILED;

    @Override
    public void install(Release release, String replacing, Progress progress) throws ReleaseException {
        calls.add("install " + release.id() + (replacing == null ? "" : " replacing " + replacing));
        if (failInstallWith != null) {
            throw new ReleaseException(failInstallAs, failInstallWith, null);
        }
        progress.downloading(50, 100L, "layer 1/1");
        progress.starting("starting 1 service");
        progress.healthy("1 service healthy");
        running = release;
    }

    @Override
    public void remove(String releaseId) {
        calls.add("remove " + releaseId);
        if (running != null && running.id().equals(releaseId)) {
            running = null;
        }
    }

    @Override
    public Optional<Release> running() {
        return Optional.ofNullable(running);
    }

    @Override
    public List<ServiceStatus> services() {
        return List.of();
    }
}
