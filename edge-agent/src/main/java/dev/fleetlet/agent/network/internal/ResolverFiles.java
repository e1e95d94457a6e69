package dev.fleetlet.agent.network.internal;

import dev.fleetlet.agent.network.NetworkException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The /etc/resolv.conf and /etc/hosts contents an app's containers get. */
public final class ResolverFiles {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,252})");

    private ResolverFiles() {
    }

    /**
     * Derives an app's resolv.conf from the host's: keeps {@code search}, {@code domain} and {@code options},
     * keeps IPv4 nameservers except loopback stubs (127.0.0.0/8, e.g. systemd-resolved's 127.0.0.53, which is
     * unreachable from the app's namespace) and IPv6 ones (the app network is IPv4 only). When none is left,
     * {@code fallback} servers are written, and when there are none either, the gateway (useful only when a
     * resolver listens on the bridge).
     */
    public static String resolvConf(List<String> hostLines, List<String> fallback, String gateway) {
        List<String> kept = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        for (String raw : hostLines) {
            String line = raw.strip();
            String[] f = line.split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) {
                if (!f[1].startsWith("127.") && !f[1].contains(":") && !f[1].equals("0.0.0.0")) {
                    servers.add(f[1]);
                }
            } else if (f.length >= 2 && (f[0].equals("search") || f[0].equals("domain") || f[0].equals("options"))) {
                kept.add(line);
            }
        }
        if (servers.isEmpty()) {
            servers.addAll(fallback);
        }
        if (servers.isEmpty() && gateway != null) {
            servers.add(gateway);
        }
        StringBuilder sb = new StringBuilder("# written by the fleetlet agent for an app network\n");
        servers.stream().limit(3).forEach(s -> sb.append("nameserver ").append(s).append('\n'));
        kept.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /**
     * A hosts file with localhost and the app's address under the app name and every service name (services
     * share the namespace, so they also reach each other on localhost).
     *
     * @throws NetworkException {@code INVALID} naming a service name that is not a valid host name
     */
    public static String hosts(String appName, String address, Collection<String> serviceNames) {
        Set<String> names = new LinkedHashSet<>();
        names.add(appName);
        for (String s : serviceNames) {
            if (s == null || !HOST_NAME.matcher(s).matches()) {
                throw new NetworkException(NetworkException.Reason.INVALID, "app " + appName + ": service name '" + s
                        + "' is not a valid host name for /etc/hosts");
            }
            names.add(s);
        }
        return "# written by the fleetlet agent for app " + appName + "\n"
                + "127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + address + "\t" + String.join(" ", names) + "\n";
    }
}
