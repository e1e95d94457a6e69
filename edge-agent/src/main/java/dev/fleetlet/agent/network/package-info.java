/**
 * Per-app network namespaces through the standard CNI plugins.
 *
 * <p>Data flow: the release runtime asks {@link dev.fleetlet.agent.network.AppNetworks#attach} for an app's
 * network before starting its services. {@link dev.fleetlet.agent.network.CniAppNetworks} creates a network
 * namespace as a bind mount under the agent's state directory, runs the {@code loopback} plugin for
 * {@code lo} and then the agent's network list ({@code bridge} with {@code host-local} IPAM and masquerade,
 * then {@code firewall}) by executing the plugin binaries with the CNI environment and stdin
 * ({@code internal.CniChain}, {@code internal.CniPluginRunner}), caches the ADD result, and writes the app's
 * resolv.conf and hosts. The returned {@link dev.fleetlet.agent.network.AppNetwork} carries the namespace
 * path every service's {@code ContainerSpec.networkNamespace} points at, and the two files to bind-mount.
 * {@code detach} runs DEL in reverse order and removes the namespace; {@code reconcile} at agent start
 * releases what a reboot or a crash left behind.
 */
package dev.fleetlet.agent.network;
