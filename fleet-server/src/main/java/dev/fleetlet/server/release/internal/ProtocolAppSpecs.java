package dev.fleetlet.server.release.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.app.AppSpec;
import dev.fleetlet.protocol.app.AppSpecDiff;
import dev.fleetlet.protocol.app.AppSpecJson;
import dev.fleetlet.protocol.app.AppSpecParser;
import dev.fleetlet.protocol.app.ParseResult;
import dev.fleetlet.protocol.app.Requirements;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.server.api.Problem;
import dev.fleetlet.server.release.AppSpecs;
import dev.fleetlet.server.release.ReleaseDiff;
import dev.fleetlet.server.release.ReleaseRequirements;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link AppSpecs} over the protocol module's {@code dev.fleetlet.protocol.app}: {@link AppSpecParser} for the
 * compose text (a problem about the whole document is reported on field {@code compose}), {@link AppSpecJson} for
 * the canonical form, {@link AppSpecDiff} for differences. {@code x-fleetlet.requires.labels} becomes a selector
 * ({@code k=v,k2=v2}); {@code min_memory} is rounded up to whole MiB.
 */
@Singleton
public class ProtocolAppSpecs implements AppSpecs {

    private static final long MIB = 1024L * 1024L;
    private static final ObjectMapper JSON = ProtocolCodec.newMapper();

    private final AppSpecParser parser = new AppSpecParser();

    @Override
    public Spec parse(String composeText) {
        return parse(composeText, null);
    }

    @Override
    public Spec parse(String composeText, String defaultName) {
        ParseResult result = parser.parseYaml(composeText, defaultName);
        if (!result.isOk()) {
            throw new InvalidSpec(result.problems().stream()
                    .map(p -> new Problem.FieldError(p.path().isEmpty() ? "compose" : p.path(), p.message()))
                    .toList());
        }
        return new ParsedSpec(result.spec());
    }

    @Override
    public List<ReleaseDiff.Change> diff(String canonicalJsonA, String canonicalJsonB) {
        return AppSpecDiff.between(read(canonicalJsonA), read(canonicalJsonB)).stream()
                .map(c -> new ReleaseDiff.Change(c.path(), c.kind().name(), c.before(), c.after()))
                .toList();
    }

    private static AppSpec read(String canonicalJson) {
        try {
            return AppSpecJson.fromJson(JSON.readTree(canonicalJson));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("stored app spec does not parse: " + e.getMessage(), e);
        }
    }

    static ReleaseRequirements requirements(Requirements r) {
        String labels = r.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        Long mib = r.minMemoryBytes() == null ? null : (r.minMemoryBytes() + MIB - 1) / MIB;
        return new ReleaseRequirements(r.arch(), labels, mib);
    }

    /** An adapter over one {@link AppSpec}. */
    private record ParsedSpec(AppSpec spec) implements Spec {

        @Override
        public Map<String, String> images() {
            Map<String, String> out = new LinkedHashMap<>();
            spec.images().forEach(i -> out.put(i.service(), i.image()));
            return out;
        }

        @Override
        public ReleaseRequirements requires() {
            return requirements(spec.requires());
        }

        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public String canonicalJson() {
            try {
                return JSON.writeValueAsString(AppSpecJson.toJson(spec));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write canonical JSON: " + e.getMessage(), e);
            }
        }

        @Override
        public Spec withPinnedImages(Map<String, String> pinnedByService) {
            Map<String, String> byImage = new LinkedHashMap<>();
            spec.images().forEach(i -> {
                String pinned = pinnedByService.get(i.service());
                if (pinned != null) {
                    byImage.put(i.image(), pinned);
                }
            });
            return new ParsedSpec(spec.withPinnedImages(byImage));
        }
    }
}
