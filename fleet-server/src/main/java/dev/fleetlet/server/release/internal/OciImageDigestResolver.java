package dev.fleetlet.server.release.internal;

import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.oci.RegistryClient;
import dev.fleetlet.oci.RegistryCredentials;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.server.release.ImageDigestResolver;
import dev.fleetlet.server.release.ImageResolutionException;
import dev.fleetlet.server.release.ImageResolutionException.Kind;
import dev.fleetlet.server.release.RegistryCredentialService;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImageDigestResolver} over the {@code oci} module's {@link RegistryClient}: HEAD on the manifest (GET
 * when the registry omits the digest header), basic or bearer-token auth with the credentials stored for the
 * registry host. Registries are spoken to over HTTPS, except loopback hosts ({@code localhost},
 * {@code 127.x.x.x}, {@code [::1]}) and the hosts listed in {@code fleetlet.registries.plain-http}, which use
 * plain HTTP. Timeout per request: {@code fleetlet.registries.timeout} (default 20 s).
 */
@Singleton
public class OciImageDigestResolver implements ImageDigestResolver {

    private static final Logger log = LoggerFactory.getLogger(OciImageDigestResolver.class);

    private final RegistryCredentialService credentials;
    private final Set<String> plainHttpHosts;
    private final Duration timeout;
    private final HttpClient http;

    public OciImageDigestResolver(RegistryCredentialService credentials,
                                  @Value("${fleetlet.registries.plain-http:}") List<String> plainHttpHosts,
                                  @Value("${fleetlet.registries.timeout:20s}") Duration timeout) {
        this.credentials = credentials;
        this.plainHttpHosts = new HashSet<>();
        for (String host : plainHttpHosts) {
            if (!host.isBlank()) {
                this.plainHttpHosts.add(host.strip().toLowerCase(Locale.ROOT));
            }
        }
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public ResolvedImage resolve(String image) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new ImageResolutionException(Kind.INVALID_REFERENCE, image, e.getMessage(), e);
        }
        Set<String> plain = new HashSet<>(plainHttpHosts);
        if (isLoopback(ref.registry())) {
            plain.add(ref.registry());
        }
        RegistryClient client = new RegistryClient(http, this::credentialsFor, ProtocolCodec.newMapper(),
                new RegistryClient.Config(plain, timeout, timeout));
        try {
            RegistryClient.ResolvedManifest resolved = client.resolve(ref);
            String pinned = ref.withDigest(resolved.digest()).toString();
            log.info("image resolved image={} digest={} mediaType={}", image, resolved.digest(), resolved.mediaType());
            return new ResolvedImage(pinned, resolved.digest().toString(), resolved.mediaType());
        } catch (ImageException e) {
            log.warn("image resolution failed image={} error={} reason={}", image, e.error(), e.getMessage());
            throw new ImageResolutionException(kind(e.error()), image, describe(e, ref), e);
        } catch (IllegalArgumentException e) {
            throw new ImageResolutionException(Kind.INVALID_IMAGE, image, "registry " + ref.registry()
                    + " answered with an invalid digest: " + e.getMessage(), e);
        }
    }

    private Optional<RegistryCredentials> credentialsFor(String apiHost) {
        Optional<RegistryCredentials> direct = credentials.forHost(apiHost).map(l -> new RegistryCredentials(l.username(), l.password()));
        if (direct.isEmpty() && apiHost.equals("registry-1.docker.io")) {
            return credentials.forHost(ImageReference.DOCKER_HUB).map(l -> new RegistryCredentials(l.username(), l.password()));
        }
        return direct;
    }

    private static Kind kind(ImageError error) {
        return switch (error) {
            case NOT_FOUND -> Kind.NOT_FOUND;
            case UNAUTHORIZED -> Kind.UNAUTHORIZED;
            case INVALID_MANIFEST, UNSUPPORTED_MEDIA_TYPE, DIGEST_MISMATCH, NO_MATCHING_PLATFORM, SIZE_MISMATCH,
                 UNSAFE_LAYER -> Kind.INVALID_IMAGE;
            default -> Kind.UNAVAILABLE;
        };
    }

    private static String describe(ImageException e, ImageReference ref) {
        return switch (e.error()) {
            case NOT_FOUND -> "tag or repository not found in registry " + ref.registry() + " (" + e.getMessage() + ")";
            case UNAUTHORIZED -> "registry " + ref.registry() + " refused access (" + e.getMessage() + ")";
            case REGISTRY_UNREACHABLE -> "registry " + ref.registry() + " unreachable (" + rootCause(e) + ")";
            default -> e.getMessage();
        };
    }

    /** The I/O failure behind an unreachable registry: the first cause with a message, else the cause's class. */
    private static String rootCause(Throwable e) {
        Throwable first = e.getCause() == null ? e : e.getCause();
        for (Throwable t = first; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return first.getClass().getSimpleName();
    }

    static boolean isLoopback(String registry) {
        String host = registry.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host.startsWith("[::1]");
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
