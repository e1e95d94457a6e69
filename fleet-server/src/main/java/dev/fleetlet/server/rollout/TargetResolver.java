package dev.fleetlet.server.rollout;

import dev.fleetlet.server.device.selector.Requirement;
import dev.fleetlet.server.rollout.internal.SelectorText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Decides, per device, whether it belongs to a rollout's {@link Target}, and says why. Pure.
 *
 * <p>Rules, all checked (an excluded device lists every reason): decommissioned devices are out; the
 * selector must match (each failing term is named with the device's actual label); a device pinned to a
 * different release is out (pinned to this release is fine); a device already running the release is out
 * (nothing to do); the release's required architecture, label selector and minimum memory must be met,
 * and an unknown arch or memory does not meet a requirement.
 */
public final class TargetResolver {

    private TargetResolver() {
    }

    /** Included devices (in input order) and an explanation for every device. */
    public record Resolution(List<DeviceSnapshot> included, Map<String, Explanation> explanations) {

        public Resolution {
            included = List.copyOf(included);
            explanations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(explanations));
        }

        /** Excluded explanations only. */
        public List<Explanation> excluded() {
            List<Explanation> out = new ArrayList<>();
            for (Explanation e : explanations.values()) {
                if (!e.included()) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    public static Resolution resolve(Target target, Collection<DeviceSnapshot> devices) {
        List<DeviceSnapshot> included = new ArrayList<>();
        Map<String, Explanation> explanations = new LinkedHashMap<>();
        for (DeviceSnapshot d : devices) {
            Explanation e = explain(target, d);
            explanations.put(d.id(), e);
            if (e.included()) {
                included.add(d);
            }
        }
        return new Resolution(included, explanations);
    }

    /** Why {@code device} is or is not targeted. */
    public static Explanation explain(Target target, DeviceSnapshot device) {
        List<Explanation.Reason> out = new ArrayList<>();
        if (device.decommissioned()) {
            out.add(reason(Explanation.Code.DECOMMISSIONED, "device is decommissioned"));
        }
        for (Requirement r : target.selector().requirements()) {
            if (!r.matches(device.labels())) {
                out.add(reason(Explanation.Code.SELECTOR_MISMATCH, "selector term '" + SelectorText.of(r)
                        + "' does not match (" + SelectorText.actual(r, device.labels()) + ")"));
            }
        }
        if (device.pinnedRelease() != null && !device.pinnedRelease().equals(target.releaseId())) {
            out.add(reason(Explanation.Code.PINNED_TO_OTHER_RELEASE, "pinned to release " + device.pinnedRelease()
                    + " (pins override rollouts)"));
        }
        if (Objects.equals(device.currentRelease(), target.releaseId())) {
            out.add(reason(Explanation.Code.ALREADY_ON_RELEASE, "already runs release " + target.releaseId()));
        }
        RequiredCapabilities req = target.requires();
        if (!req.architectures().isEmpty()) {
            String wanted = String.join(", ", new TreeSet<>(req.architectures()));
            if (device.arch() == null) {
                out.add(reason(Explanation.Code.ARCH_UNKNOWN, "release needs arch " + wanted + "; device arch unknown"));
            } else if (!req.architectures().contains(device.arch())) {
                out.add(reason(Explanation.Code.ARCH_MISMATCH, "release needs arch " + wanted + "; device is "
                        + device.arch()));
            }
        }
        for (Requirement r : req.labels().requirements()) {
            if (!r.matches(device.labels())) {
                out.add(reason(Explanation.Code.LABEL_REQUIREMENT_MISMATCH, "release requires label '"
                        + SelectorText.of(r) + "' (" + SelectorText.actual(r, device.labels()) + ")"));
            }
        }
        if (req.minMemoryMb() != null) {
            if (device.memoryMb() == null) {
                out.add(reason(Explanation.Code.MEMORY_UNKNOWN, "release needs ≥ " + req.minMemoryMb()
                        + " MiB memory; device memory unknown"));
            } else if (device.memoryMb() < req.minMemoryMb()) {
                out.add(reason(Explanation.Code.MEMORY_TOO_SMALL, "release needs ≥ " + req.minMemoryMb()
                        + " MiB memory; device has " + device.memoryMb() + " MiB"));
            }
        }
        if (out.isEmpty()) {
            String pin = device.pinnedRelease() != null ? ", pinned to this release" : "";
            return new Explanation(device.id(), true, List.of(reason(Explanation.Code.INCLUDED,
                    "matches selector " + SelectorText.of(target.selector()) + " and the release's requirements"
                            + pin)));
        }
        return new Explanation(device.id(), false, out);
    }

    private static Explanation.Reason reason(Explanation.Code code, String text) {
        return new Explanation.Reason(code, text);
    }
}
