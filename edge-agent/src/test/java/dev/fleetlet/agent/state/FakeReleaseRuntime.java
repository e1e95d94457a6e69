package dev.fleetlet.agent.state;

import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.util.ArrayList;
import java.util.List;

/** A release runtime that records calls and succeeds, or fails installs with a given reason. */
final class FakeReleaseRuntime implements ReleaseRuntime {

    final List<String> calls = new ArrayList<>();
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
    }

    @Override
    public void remove(String releaseId) {
        calls.add("remove " + releaseId);
    }

    @Override
    public List<ServiceStatus> services() {
        return List.of();
    }
}
