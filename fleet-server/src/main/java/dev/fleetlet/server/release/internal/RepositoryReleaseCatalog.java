package dev.fleetlet.server.release.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.release.ReleaseRepository;
import dev.fleetlet.server.release.ReleaseRequirements;
import dev.fleetlet.server.release.StoredRelease;
import dev.fleetlet.server.rollout.CatalogRelease;
import dev.fleetlet.server.rollout.ReleaseCatalog;
import dev.fleetlet.server.rollout.RequiredCapabilities;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Optional;

/**
 * The rollout engine's {@link ReleaseCatalog} over the release table: the stored pinned spec becomes the
 * {@link Release} carried in desired states, the stored requirements become {@link RequiredCapabilities}.
 * No network access; the database is read on every call (releases are immutable, callers may cache).
 */
@Singleton
public class RepositoryReleaseCatalog implements ReleaseCatalog {

    private static final ObjectMapper JSON = ProtocolCodec.newMapper();

    private final ReleaseRepository releases;

    public RepositoryReleaseCatalog(ReleaseRepository releases) {
        this.releases = releases;
    }

    @Override
    public Optional<CatalogRelease> find(String releaseId) {
        if (releaseId == null || releaseId.isBlank()) {
            return Optional.empty();
        }
        return releases.find(releaseId).map(RepositoryReleaseCatalog::toCatalog);
    }

    static CatalogRelease toCatalog(StoredRelease r) {
        try {
            Release release = new Release(r.id(), r.name(), r.version(), JSON.readTree(r.specJson()));
            return new CatalogRelease(release, capabilities(r.requires()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored spec of release " + r.id() + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Stored requirements as the engine's capabilities (the labels selector was validated at creation). */
    public static RequiredCapabilities capabilities(ReleaseRequirements requires) {
        Selector labels = requires.labels().isBlank() ? Selector.ALL : Selector.parse(requires.labels());
        return new RequiredCapabilities(new HashSet<>(requires.architectures()), labels, requires.minMemoryMb());
    }
}
