package dev.fleetlet.agent.network.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.agent.network.NetworkException;

/** The parts of a CNI result (spec 0.3.0 and later: {@code ips[].address}, {@code ips[].gateway}) the agent uses. */
public record CniResult(String address, int prefixLength, String gateway) {

    /**
     * Takes the first IPv4 entry of {@code result.ips}.
     *
     * @throws NetworkException {@code PLUGIN_FAILED} when the result carries no IPv4 address
     */
    public static CniResult parse(JsonNode result) {
        for (JsonNode ip : result.path("ips")) {
            String cidr = ip.path("address").asText("");
            int slash = cidr.indexOf('/');
            if (slash > 0 && cidr.indexOf(':') < 0) {
                int prefix;
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new NetworkException(NetworkException.Reason.PLUGIN_FAILED, "CNI result address '" + cidr + "' has no numeric prefix");
                }
                String gateway = ip.path("gateway").asText(null);
                return new CniResult(cidr.substring(0, slash), prefix, gateway);
            }
        }
        throw new NetworkException(NetworkException.Reason.PLUGIN_FAILED, "CNI result has no IPv4 address in ips: " + result);
    }
}
