package dev.fleetlet.server.device;

import java.util.Map;
import java.util.stream.Collectors;

/** Formatting of label sets as {@code k=v,k2=v2}, keys sorted. */
public final class Labels {

    private Labels() {
    }

    public static String format(Map<String, String> labels) {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
