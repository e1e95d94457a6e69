package dev.fleetlet.agent.network;

import java.nio.file.Path;

/**
 * An app's network: the namespace every service of the app joins, and its address on the agent's bridge.
 *
 * @param appName     the app
 * @param netnsPath   the network namespace file to put in the container's OCI config ({@code linux.namespaces[].path})
 * @param ipv4Address the app's address, e.g. {@code 10.213.0.2}
 * @param prefixLength the subnet prefix length, e.g. 16
 * @param gateway     the bridge address the app's default route points at
 * @param resolvConf  a resolv.conf for the app, to bind-mount read-only at {@code /etc/resolv.conf}
 * @param hosts       a hosts file naming the app's services, to bind-mount read-only at {@code /etc/hosts}
 */
public record AppNetwork(String appName, Path netnsPath, String ipv4Address, int prefixLength, String gateway,
                         Path resolvConf, Path hosts) {

    /** The address in CIDR notation, e.g. {@code 10.213.0.2/16}. */
    public String cidr() {
        return ipv4Address + "/" + prefixLength;
    }
}
