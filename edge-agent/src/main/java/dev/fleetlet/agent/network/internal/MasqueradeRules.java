package dev.fleetlet.agent.network.internal;

import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.agent.hostcmd.HostCommandException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the {@code bridge} plugin's masquerade rules of one container when the plugin cannot: its DEL
 * learns the addresses to un-masquerade from the interface inside the namespace, so once the namespace is
 * gone (without a reboot, which clears iptables anyway) the {@code POSTROUTING} jump and the
 * {@code CNI-<hash>} chain would stay. The rules are found by the comment the plugin writes:
 * {@code name: "<network>" id: "<container id>"}.
 */
public final class MasqueradeRules {
    private static final Logger log = LoggerFactory.getLogger(MasqueradeRules.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String iptables;

    public MasqueradeRules(String iptables) {
        this.iptables = iptables;
    }

    /** Deletes the container's POSTROUTING jumps and their chains; returns how many jumps were removed. */
    public int release(String networkName, String containerId) {
        String comment = "name: \"" + networkName + "\" id: \"" + containerId + "\"";
        List<String> rules;
        try {
            rules = HostCommand.run(List.of(iptables, "-t", "nat", "-S", "POSTROUTING"), TIMEOUT).stdout().lines().toList();
        } catch (HostCommandException e) {
            log.warn("cannot list nat rules, masquerade rules may remain network={} containerId={} error={}",
                    networkName, containerId, e.getMessage());
            return 0;
        }
        int removed = 0;
        for (String rule : rules) {
            if (!rule.startsWith("-A POSTROUTING ") || !rule.contains(escapedComment(comment))) {
                continue;
            }
            String source = field(rule, "-s");
            String chain = field(rule, "-j");
            if (source == null || chain == null || !chain.startsWith("CNI-")) {
                continue;
            }
            try {
                HostCommand.run(List.of(iptables, "-t", "nat", "-D", "POSTROUTING", "-s", source, "-m", "comment",
                        "--comment", comment, "-j", chain), TIMEOUT);
                HostCommand.runAllowingFailure(List.of(iptables, "-t", "nat", "-F", chain), TIMEOUT);
                HostCommand.runAllowingFailure(List.of(iptables, "-t", "nat", "-X", chain), TIMEOUT);
                removed++;
                log.info("masquerade rules removed network={} containerId={} source={} chain={}", networkName, containerId, source, chain);
            } catch (HostCommandException e) {
                log.warn("cannot remove masquerade rule network={} containerId={} error={}", networkName, containerId, e.getMessage());
            }
        }
        return removed;
    }

    /** How {@code iptables -S} prints the comment: quotes inside escaped, the whole thing quoted. */
    private static String escapedComment(String comment) {
        return "--comment \"" + comment.replace("\"", "\\\"") + "\"";
    }

    private static String field(String rule, String flag) {
        List<String> words = new ArrayList<>(List.of(rule.split(" ")));
        int i = words.indexOf(flag);
        return i >= 0 && i + 1 < words.size() ? words.get(i + 1) : null;
    }
}
