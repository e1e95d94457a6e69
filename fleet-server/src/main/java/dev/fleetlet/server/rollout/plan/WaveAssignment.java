package dev.fleetlet.server.rollout.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Targeted device ids split into groups: index 0 is the canary when the plan has one, then the waves.
 * Each group lists its devices in dispatch order. Groups may be empty when the devices ran out.
 */
public record WaveAssignment(List<List<String>> groups) {

    public WaveAssignment {
        List<List<String>> copy = new ArrayList<>(groups.size());
        for (List<String> g : groups) {
            copy.add(List.copyOf(g));
        }
        groups = List.copyOf(copy);
    }

    /** Device count per group. */
    public List<Integer> sizes() {
        List<Integer> sizes = new ArrayList<>(groups.size());
        for (List<String> g : groups) {
            sizes.add(g.size());
        }
        return sizes;
    }

    public int deviceCount() {
        int n = 0;
        for (List<String> g : groups) {
            n += g.size();
        }
        return n;
    }
}
