package dev.fleetlet.agent.network.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.agent.network.NetworkConfig;
import java.nio.file.Path;

/** The CNI network configuration lists the agent writes and runs. */
public final class Conflist {
    public static final String CNI_VERSION = "1.0.0";

    private Conflist() {
    }

    /**
     * The app network: {@code bridge} (gateway on the bridge, masquerade for outbound, hairpin) with
     * {@code host-local} IPAM keeping its allocations under {@code ipamDir}, then optionally {@code firewall}
     * (iptables backend: lets the app's traffic through the host's FORWARD chain).
     */
    public static ObjectNode appNetwork(ObjectMapper json, NetworkConfig config, Path ipamDir) {
        ObjectNode list = json.createObjectNode();
        list.put("cniVersion", CNI_VERSION);
        list.put("name", config.networkName());
        ArrayNode plugins = list.putArray("plugins");
        ObjectNode bridge = plugins.addObject();
        bridge.put("type", "bridge");
        bridge.put("bridge", config.bridgeName());
        bridge.put("isGateway", true);
        bridge.put("ipMasq", true);
        bridge.put("hairpinMode", true);
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.putArray("ranges").addArray().addObject().put("subnet", config.subnet());
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        ipam.put("dataDir", ipamDir.toString());
        if (config.firewall()) {
            ObjectNode fw = plugins.addObject();
            fw.put("type", "firewall");
            fw.put("backend", "iptables");
        }
        return list;
    }

    /** The loopback network that brings {@code lo} up in the namespace. */
    public static ObjectNode loopback(ObjectMapper json, NetworkConfig config) {
        ObjectNode list = json.createObjectNode();
        list.put("cniVersion", CNI_VERSION);
        list.put("name", config.networkName() + "-lo");
        list.putArray("plugins").addObject().put("type", "loopback");
        return list;
    }
}
