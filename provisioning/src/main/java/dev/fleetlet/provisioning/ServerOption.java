package dev.fleetlet.provisioning;

import picocli.CommandLine.Option;

/** {@code --server}: which stored profile an API command uses; default the one last logged in to. */
final class ServerOption {

    @Option(names = "--server", description = "server of a stored profile (default: the last one logged in to)")
    String server;

    String normalised() {
        return server == null ? null : ProfileStore.normalise(server);
    }
}
