package dev.fleetlet.agent.network;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Settings for per-app networks.
 *
 * @param networkName   CNI network name; also names the IPAM allocation directory and the masquerade rules' comments
 *                      (default {@code fleetlet})
 * @param bridgeName    the host bridge every app namespace is attached to (default {@code fleetlet0}, at most 15 chars)
 * @param subnet        IPv4 subnet in CIDR notation the apps get addresses from; the first address is the bridge
 *                      (gateway). Default {@code 10.213.0.0/16}, chosen to be unlikely on home and office LANs
 * @param pluginDirs    where the CNI plugin executables are looked up, in order (default {@code /usr/lib/cni}, the
 *                      Debian {@code containernetworking-plugins} location, then {@code /opt/cni/bin})
 * @param stateDir      the agent's directory for namespaces, IPAM allocations, cached results and per-app
 *                      resolv.conf/hosts (e.g. {@code <dataDir>/network}); must survive agent restarts
 * @param firewall      whether the CNI {@code firewall} plugin (iptables backend) is appended to the chain
 *                      (default true)
 * @param hostResolvConf the host's resolver file the app's resolv.conf is derived from (default {@code /etc/resolv.conf})
 * @param fallbackDns   nameservers written when the host has only loopback stub resolvers (default: none, then the
 *                      gateway address is written)
 */
public record NetworkConfig(String networkName, String bridgeName, String subnet, List<Path> pluginDirs, Path stateDir,
                            boolean firewall, Path hostResolvConf, List<String> fallbackDns) {

    public static final String DEFAULT_SUBNET = "10.213.0.0/16";
    public static final List<Path> DEFAULT_PLUGIN_DIRS = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final Pattern BRIDGE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /**
     * What is wrong with {@code subnet} as an app subnet (an IPv4 CIDR, prefix /8 to /30, no host bits set), or
     * empty when it is fine; for configuration validation that names the key itself.
     */
    public static java.util.Optional<String> subnetProblem(String subnet) {
        var m = subnet == null ? null : CIDR.matcher(subnet);
        if (m == null || !m.matches()) {
            return java.util.Optional.of("expected an IPv4 subnet in CIDR notation like " + DEFAULT_SUBNET + ", got '" + subnet + "'");
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return java.util.Optional.of("'" + subnet + "' has an octet above 255");
            }
            address = address << 8 | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix < 8 || prefix > 30) {
            return java.util.Optional.of("prefix of '" + subnet + "' must be /8 to /30 (room for the bridge and apps)");
        }
        long hostBits = address & ((1L << (32 - prefix)) - 1);
        if (hostBits != 0) {
            return java.util.Optional.of("'" + subnet + "' has host bits set; the network address is expected");
        }
        return java.util.Optional.empty();
    }

    /** What is wrong with {@code bridge} as a Linux interface name for the bridge, or empty when it is fine. */
    public static java.util.Optional<String> bridgeProblem(String bridge) {
        if (bridge == null || !BRIDGE.matcher(bridge).matches()) {
            return java.util.Optional.of("expected an interface name of 1-15 characters of [a-zA-Z0-9_.-] starting with a"
                    + " letter or digit, got '" + bridge + "'");
        }
        return java.util.Optional.empty();
    }

    public NetworkConfig {
        if (networkName == null || !NAME.matcher(networkName).matches()) {
            throw new IllegalArgumentException("network.name '" + networkName + "' must match " + NAME.pattern());
        }
        if (bridgeName == null || !BRIDGE.matcher(bridgeName).matches()) {
            throw new IllegalArgumentException("network.bridge '" + bridgeName + "' must be 1-15 characters of [a-zA-Z0-9_.-]");
        }
        requireSubnet(subnet);
        if (pluginDirs == null || pluginDirs.isEmpty()) {
            throw new IllegalArgumentException("network.pluginDirs must name at least one directory");
        }
        if (stateDir == null || !stateDir.isAbsolute()) {
            throw new IllegalArgumentException("network.stateDir must be an absolute path, got '" + stateDir + "'");
        }
        if (hostResolvConf == null) {
            throw new IllegalArgumentException("network.hostResolvConf must be set");
        }
        pluginDirs = List.copyOf(pluginDirs);
        fallbackDns = List.copyOf(fallbackDns == null ? List.of() : fallbackDns);
    }

    /** The defaults ({@code fleetlet}, {@code fleetlet0}, {@value #DEFAULT_SUBNET}, firewall on) under {@code stateDir}. */
    public static NetworkConfig defaults(Path stateDir) {
        return new NetworkConfig("fleetlet", "fleetlet0", DEFAULT_SUBNET, DEFAULT_PLUGIN_DIRS, stateDir, true,
                Path.of("/etc/resolv.conf"), List.of());
    }

    /** The same settings with another bridge interface name. */
    public NetworkConfig withBridge(String value) {
        return new NetworkConfig(networkName, value, subnet, pluginDirs, stateDir, firewall, hostResolvConf, fallbackDns);
    }

    public NetworkConfig withSubnet(String value) {
        return new NetworkConfig(networkName, bridgeName, value, pluginDirs, stateDir, firewall, hostResolvConf, fallbackDns);
    }

    private static void requireSubnet(String subnet) {
        var m = subnet == null ? null : CIDR.matcher(subnet);
        boolean ok = m != null && m.matches();
        if (ok) {
            for (int i = 1; i <= 4; i++) {
                ok &= Integer.parseInt(m.group(i)) <= 255;
            }
            int prefix = Integer.parseInt(m.group(5));
            ok &= prefix >= 8 && prefix <= 30;
        }
        if (!ok) {
            throw new IllegalArgumentException("network.subnet '" + subnet + "' must be an IPv4 CIDR with a prefix of /8 to /30, e.g. "
                    + DEFAULT_SUBNET);
        }
    }
}
