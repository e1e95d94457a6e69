package dev.fleetlet.server.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.api.Problem;
import dev.fleetlet.server.auth.Secrets;
import dev.fleetlet.server.db.DuplicateKeyException;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.device.selector.SelectorSyntaxException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, reads, compares and deletes releases.
 *
 * <p>Create: parse the compose ({@link AppSpecs}; problems → 400 naming each key path), check whether the
 * same name and version exist (same spec before pinning → the existing release, no registry traffic;
 * different spec → 409), resolve every image through {@link ImageDigestResolver} (unknown tag or bad
 * reference → 400 naming the service; registry down → 502 {@code REGISTRY_UNAVAILABLE}; credentials refused →
 * 502 {@code REGISTRY_UNAUTHORIZED}), store the pinned canonical spec with the original text. The id is
 * {@code <name>-<version>} lowercased with other characters replaced by {@code -}, or that plus a random
 * suffix when another name/version already sanitizes to it.
 *
 * <p>Delete is refused (409) while {@link ReleaseReferences} reports a pin, desired state or rollout using it.
 */
@Singleton
public class ReleaseService {

    private static final Logger log = LoggerFactory.getLogger(ReleaseService.class);
    private static final ObjectMapper JSON = ProtocolCodec.newMapper();
    private static final Pattern NAME = Pattern.compile(CreateReleaseRequest.NAME);
    private static final Pattern VERSION = Pattern.compile(CreateReleaseRequest.VERSION);

    /** The outcome of a create: the release and whether this call stored it (false: it existed already). */
    public record Created(ReleaseDetail release, boolean created) {
    }

    private final ReleaseRepository repository;
    private final AppSpecs specs;
    private final ImageDigestResolver resolver;
    private final ReleaseReferences references;
    private final Clock clock;

    public ReleaseService(ReleaseRepository repository, AppSpecs specs, ImageDigestResolver resolver,
                          ReleaseReferences references, Clock clock) {
        this.repository = repository;
        this.specs = specs;
        this.resolver = resolver;
        this.references = references;
        this.clock = clock;
    }

    /** Creates a release, or returns the existing one with the same name, version and spec. */
    public Created create(CreateReleaseRequest request, String by) {
        checkIdentity(request);
        AppSpecs.Spec spec = parse(request.compose(), request.name());
        if (!spec.name().equals(request.name())) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "name", "the compose names the app '" + spec.name()
                    + "' but the release is for '" + request.name() + "'; use the same name or leave it out of the compose");
        }
        checkRequirements(spec.requires());
        String sourceDigest = sha256(spec.canonicalJson());
        Optional<Created> existing = sameRelease(request, sourceDigest);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<PinnedImage> images = resolveImages(spec.images());
        Map<String, String> pinnedByService = new LinkedHashMap<>();
        images.forEach(i -> pinnedByService.put(i.service(), i.pinned()));
        String pinnedJson = spec.withPinnedImages(pinnedByService).canonicalJson();
        String id = newId(request.name(), request.version());
        StoredRelease release = new StoredRelease(id, request.name(), request.version(), request.notes(), pinnedJson,
                sha256(pinnedJson), sourceDigest, request.compose(), spec.requires(), clock.instant(), by, images);
        try {
            repository.insert(release);
        } catch (DuplicateKeyException e) {
            // a concurrent create of the same name/version (or id) won the race
            return sameRelease(request, sourceDigest).orElseThrow(() -> new ApiException(ErrorCode.CONFLICT,
                    "release id '" + id + "' was taken concurrently; retry"));
        }
        log.info("release created id={} name={} version={} images={} by={}", id, request.name(), request.version(),
                images.size(), by);
        return new Created(detail(repository.find(id).orElseThrow()), true);
    }

    /**
     * Creates a release from {@code sourceId} with the same pinned image digests and the environment changed as
     * {@code request} says: no registry is asked. The changed spec goes through the app spec parser like a new
     * compose (problems → 400 naming {@code environment.<service>} or the key path). Same name, version and
     * resulting spec as an existing release → that release (200); same name and version with another spec → 409.
     */
    public Created derive(String sourceId, DeriveReleaseRequest request, String by) {
        StoredRelease source = find(sourceId);
        if (request.version() == null || !VERSION.matcher(request.version()).matches()) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "version", "must match " + CreateReleaseRequest.VERSION);
        }
        com.fasterxml.jackson.databind.node.ObjectNode spec;
        try {
            spec = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(source.specJson());
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored spec of release " + source.id() + " is not a JSON object", e);
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : request.environment().entrySet()) {
            com.fasterxml.jackson.databind.JsonNode service = spec.path("services").path(e.getKey());
            if (!service.isObject()) {
                errors.add(new Problem.FieldError("environment." + e.getKey(), "release " + source.id()
                        + " has no service '" + e.getKey() + "'"));
                continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode svc = (com.fasterxml.jackson.databind.node.ObjectNode) service;
            com.fasterxml.jackson.databind.node.ObjectNode env = svc.path("environment").isObject()
                    ? (com.fasterxml.jackson.databind.node.ObjectNode) svc.get("environment") : svc.putObject("environment");
            Map<String, String> vars = e.getValue() == null ? Map.of() : e.getValue();
            for (Map.Entry<String, String> v : vars.entrySet()) {
                if (v.getValue() == null) {
                    env.remove(v.getKey());
                } else {
                    env.put(v.getKey(), v.getValue());
                }
            }
            if (env.isEmpty()) {
                svc.remove("environment");
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, describe(errors), errors);
        }
        String compose = spec.toPrettyString();
        AppSpecs.Spec parsed = parse(compose, source.name());
        String pinnedJson = parsed.canonicalJson();
        CreateReleaseRequest identity = new CreateReleaseRequest(source.name(), request.version(), compose, request.notes());
        String sourceDigest = sha256(pinnedJson);
        Optional<Created> existing = sameRelease(identity, sourceDigest);
        if (existing.isPresent()) {
            return existing.get();
        }
        String id = newId(source.name(), request.version());
        StoredRelease release = new StoredRelease(id, source.name(), request.version(), request.notes(), pinnedJson,
                sha256(pinnedJson), sourceDigest, compose, source.requires(), clock.instant(), by, source.images());
        try {
            repository.insert(release);
        } catch (DuplicateKeyException e) {
            return sameRelease(identity, sourceDigest).orElseThrow(() -> new ApiException(ErrorCode.CONFLICT,
                    "release id '" + id + "' was taken concurrently; retry"));
        }
        log.info("release derived id={} from={} services={} by={}", id, source.id(), request.environment().keySet(), by);
        return new Created(detail(repository.find(id).orElseThrow()), true);
    }

    public ReleaseDetail get(String id) {
        return detail(find(id));
    }

    public Page<ReleaseSummary> list(String name, int page, int size) {
        Page<StoredRelease> rows = repository.list(name, page, size);
        return new Page<>(rows.items().stream().map(ReleaseSummary::of).toList(), rows.page(), rows.size(), rows.total());
    }

    /** The difference from release {@code id} to release {@code otherId}, key by key in the pinned specs. */
    public ReleaseDiff diff(String id, String otherId) {
        return new ReleaseDiff(id, otherId, specs.diff(find(id).specJson(), find(otherId).specJson()));
    }

    /** Deletes an unused release; 409 listing what still uses it. */
    public void delete(String id, String by) {
        find(id);
        List<String> users = references.referencesTo(id);
        if (!users.isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "release '" + id + "' is in use: " + String.join("; ", users));
        }
        if (!repository.delete(id)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no release '" + id + "'");
        }
        log.info("release deleted id={} by={}", id, by);
    }

    private StoredRelease find(String id) {
        return repository.find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no release '" + id + "'"));
    }

    private static void checkIdentity(CreateReleaseRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            errors.add(new Problem.FieldError("name", "must match " + CreateReleaseRequest.NAME));
        }
        if (request.version() == null || !VERSION.matcher(request.version()).matches()) {
            errors.add(new Problem.FieldError("version", "must match " + CreateReleaseRequest.VERSION));
        }
        if (request.compose() == null || request.compose().isBlank()) {
            errors.add(new Problem.FieldError("compose", "must not be blank"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, describe(errors), errors);
        }
    }

    private AppSpecs.Spec parse(String compose, String name) {
        try {
            return specs.parse(compose, name);
        } catch (AppSpecs.InvalidSpec e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "invalid app spec: " + describe(e.problems()), e.problems());
        }
    }

    private static void checkRequirements(ReleaseRequirements requires) {
        if (requires.labels().isBlank()) {
            return;
        }
        try {
            Selector.parse(requires.labels());
        } catch (SelectorSyntaxException e) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "x-fleetlet.requires.labels", e.getMessage());
        }
    }

    private Optional<Created> sameRelease(CreateReleaseRequest request, String sourceDigest) {
        return repository.findByNameAndVersion(request.name(), request.version()).map(found -> {
            if (!found.sourceDigest().equals(sourceDigest)) {
                throw new ApiException(ErrorCode.CONFLICT, "release " + request.name() + " " + request.version()
                        + " exists (id " + found.id() + ") with a different spec; releases are immutable, use a new version");
            }
            return new Created(detail(found), false);
        });
    }

    private List<PinnedImage> resolveImages(Map<String, String> imagesByService) {
        Map<String, ImageDigestResolver.ResolvedImage> byImage = new LinkedHashMap<>();
        List<PinnedImage> pinned = new ArrayList<>();
        for (Map.Entry<String, String> e : imagesByService.entrySet()) {
            String service = e.getKey();
            String image = e.getValue();
            ImageDigestResolver.ResolvedImage resolved = byImage.get(image);
            if (resolved == null) {
                resolved = resolve(service, image);
                byImage.put(image, resolved);
            }
            pinned.add(new PinnedImage(service, image, resolved.pinned(), resolved.digest(), resolved.mediaType()));
        }
        return pinned;
    }

    private ImageDigestResolver.ResolvedImage resolve(String service, String image) {
        try {
            return resolver.resolve(image);
        } catch (ImageResolutionException e) {
            String field = "services." + service + ".image";
            String what = "service " + service + ": image " + image + ": " + e.getMessage();
            List<Problem.FieldError> errors = List.of(new Problem.FieldError(field, e.getMessage()));
            ErrorCode code = switch (e.kind()) {
                case INVALID_REFERENCE, NOT_FOUND, INVALID_IMAGE -> ErrorCode.VALIDATION_FAILED;
                case UNAUTHORIZED -> ErrorCode.REGISTRY_UNAUTHORIZED;
                case UNAVAILABLE -> ErrorCode.REGISTRY_UNAVAILABLE;
            };
            String hint = code == ErrorCode.REGISTRY_UNAUTHORIZED
                    ? " (check the credentials stored for this registry under /api/v1/registries)" : "";
            throw new ApiException(code, what + hint, errors);
        }
    }

    private String newId(String name, String version) {
        String base = sanitize(name + "-" + version);
        if (repository.find(base).isEmpty()) {
            return base;
        }
        return base + "-" + Secrets.id(6);
    }

    /** {@code <name>-<version>} as an id: lowercase, runs of characters other than {@code a-z0-9.-} become {@code -}. */
    static String sanitize(String text) {
        String id = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-").replaceAll("-{2,}", "-");
        id = id.replaceAll("^[-.]+|[-.]+$", "");
        if (id.length() > 120) {
            id = id.substring(0, 120);
        }
        return id.isEmpty() ? "release" : id;
    }

    private static ReleaseDetail detail(StoredRelease r) {
        Object spec;
        try {
            spec = JSON.readValue(r.specJson(), Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored spec of release " + r.id() + " is not valid JSON", e);
        }
        return new ReleaseDetail(r.id(), r.name(), r.version(), r.notes(), spec, r.compose(), r.images(), r.requires(),
                r.specDigest(), r.createdAt(), r.createdBy());
    }

    private static String describe(List<Problem.FieldError> errors) {
        return String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
    }

    static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }
}
