package dev.fleetlet.agent.release;

import dev.fleetlet.agent.image.PullProgress;
import dev.fleetlet.agent.network.AppNetwork;
import dev.fleetlet.agent.network.AppNetworks;
import dev.fleetlet.agent.release.internal.ServiceOrder;
import dev.fleetlet.agent.state.ReleaseRuntime.Progress;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.protocol.app.AppSpec;
import dev.fleetlet.protocol.app.AppSpecJson;
import dev.fleetlet.protocol.app.NetworkMode;
import dev.fleetlet.protocol.app.ServiceSpec;
import dev.fleetlet.protocol.message.Release;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a release into what the supervisor runs: images pulled (or found in the store), one rootfs per
 * container, the app's network attached, every service translated by {@link ContainerSpecs}, in start order.
 * Failures are runtime exceptions whose message is fit for a reported reason.
 */
final class ReleasePlans {

    private final ReleaseImages images;
    private final AppNetworks networks;

    ReleasePlans(ReleaseImages images, AppNetworks networks) {
        this.images = images;
        this.networks = networks;
    }

    /** Pulls ({@code pull}) or finds the images, assembles rootfs, attaches the network and translates every service. */
    List<ServicePlan> prepare(Release release, boolean pull, Progress progress) {
        AppSpec spec = AppSpecJson.fromJson(release.spec(), release.name());
        Map<String, ReleaseImages.Pulled> pulled = new HashMap<>();
        long bytes = 0;
        int n = 0;
        Set<String> distinct = new LinkedHashSet<>(refs(release));
        for (String ref : distinct) {
            n++;
            String label = "image " + n + "/" + distinct.size() + " ";
            long before = bytes;
            PullProgress bytesProgress = progress == null ? PullProgress.NONE
                    : (done, total, what) -> progress.downloading(before + done, before + total, label + what);
            // A tag may have moved since the last pull, so an update asks the registry; a reference pinned by
            // digest (what the server sends) names fixed content that was verified when it was stored.
            boolean ask = pull && !pinnedByDigest(ref);
            ReleaseImages.Pulled p = ask ? images.pull(ref, bytesProgress) : images.stored(ref)
                    .map(c -> new ReleaseImages.Pulled(ref, c, 0)).orElseGet(() -> images.pull(ref, bytesProgress));
            pulled.put(ref, p);
            bytes += p.bytesTransferred();
            if (progress != null) {
                progress.downloading(bytes, null, "image " + n + "/" + distinct.size() + " " + ref + " ready");
            }
        }
        AppNetwork network = null;
        List<String> appServices = new ArrayList<>();
        spec.services().forEach((name, s) -> {
            if (s.networkMode() == NetworkMode.APP) {
                appServices.add(name);
            }
        });
        if (!appServices.isEmpty()) {
            if (networks == null) {
                throw new IllegalArgumentException("services " + appServices + " need the app's network but app "
                        + "networking (CNI) is not available on this device; use network_mode: host");
            }
            network = networks.attach(release.name(), appServices);
        }
        List<ServicePlan> plans = new ArrayList<>();
        for (String name : ServiceOrder.of(spec)) {
            ServiceSpec s = spec.services().get(name);
            String id = ContainerSpecs.containerId(release.name(), name, release.id());
            Path rootfs = images.rootfs(id, s.image());
            plans.add(ContainerSpecs.plan(release.name(), release.id(), name, s, pulled.get(s.image()).config(), rootfs,
                    network));
        }
        return plans;
    }

    /** Container ids of a release in start order (from its spec alone, no image needed). */
    static List<String> ids(Release release) {
        AppSpec spec = AppSpecJson.fromJson(release.spec(), release.name());
        return ServiceOrder.of(spec).stream().map(n -> ContainerSpecs.containerId(release.name(), n, release.id())).toList();
    }

    static Set<String> refs(Release release) {
        if (release == null) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        AppSpecJson.fromJson(release.spec(), release.name()).images().forEach(i -> out.add(i.image()));
        return out;
    }


    private static boolean pinnedByDigest(String ref) {
        try {
            return ImageReference.parse(ref).digest() != null;
        } catch (RuntimeException e) {
            return false; // not parseable here: the pull reports it with its reason
        }
    }
}
