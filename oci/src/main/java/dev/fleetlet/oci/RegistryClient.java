package dev.fleetlet.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the OCI distribution API over {@code java.net.http}: {@code /v2/} ping, manifests
 * by tag or digest, and blobs from an offset (HTTP Range). Handles 401 challenges through
 * {@link RegistryAuthenticator} and follows blob redirects itself so that credentials are never
 * sent to a redirect target (a CDN or object store).
 *
 * <p>{@link #resolve} turns a tag into the digest of the manifest (or index) it names without
 * downloading it when the registry answers HEAD with {@code Docker-Content-Digest}.
 *
 * <p>Failures are {@link ImageException}s: NOT_FOUND, UNAUTHORIZED, REGISTRY_ERROR (5xx),
 * REGISTRY_UNREACHABLE (I/O), DIGEST_MISMATCH (manifest not matching the pinned digest).
 */
public final class RegistryClient {
    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;

    /**
     * @param plainHttpHosts hosts (as in image references) spoken to over plain HTTP, e.g. a
     *                       loopback test registry; every other host uses HTTPS
     * @param requestTimeout timeout for a whole manifest request and for a blob's response headers
     * @param stallTimeout   a blob body that delivers no byte for this long is aborted (and resumed)
     */
    public record Config(Set<String> plainHttpHosts, Duration requestTimeout, Duration stallTimeout) {
        public Config {
            plainHttpHosts = Set.copyOf(plainHttpHosts);
        }

        /** 30 s request timeout, 30 s stall timeout. */
        public Config(Set<String> plainHttpHosts) {
            this(plainHttpHosts, Duration.ofSeconds(30), Duration.ofSeconds(30));
        }
    }

    private static final java.util.concurrent.ScheduledExecutorService STALL_TIMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "registry-stall-watchdog");
                t.setDaemon(true);
                return t;
            });

    /** A manifest's bytes, the Content-Type the registry sent and the digest of the bytes. */
    public record FetchedManifest(byte[] body, String contentType, Digest digest) {
    }

    /**
     * What a reference names in a registry: the digest of the manifest or index the registry serves
     * for it (an index stays an index: no platform is selected) and that document's media type.
     */
    public record ResolvedManifest(Digest digest, String mediaType) {
    }

    /**
     * An open blob body. {@code startOffset} is where {@code body} begins in the blob: the
     * requested offset when the registry honoured the Range, 0 when it sent the whole blob.
     */
    public record BlobResponse(InputStream body, long startOffset) {
    }

    /** What kind of request {@link #exchange} builds: manifest requests carry the Accept list. */
    private enum Request {
        PLAIN, MANIFEST, MANIFEST_HEAD;

        String method() {
            return this == MANIFEST_HEAD ? "HEAD" : "GET";
        }
    }

    private final HttpClient http;
    private final RegistryAuthenticator auth;
    private final Config config;

    public RegistryClient(HttpClient http, RegistryCredentialsProvider credentials, ObjectMapper json, Config config) {
        this.http = http;
        this.config = config;
        this.auth = new RegistryAuthenticator(http, credentials, json, config.requestTimeout());
    }

    /** Creates a client with its own {@link HttpClient} that never follows redirects on its own. */
    public static RegistryClient create(RegistryCredentialsProvider credentials, ObjectMapper json, Config config) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new RegistryClient(http, credentials, json, config);
    }

    /** Checks that {@code host} speaks the distribution API (a 200 or 401 on {@code /v2/}). */
    public void ping(String host) {
        HttpResponse<InputStream> r = send(host, null, URI.create(base(host) + "/v2/"), null, Request.PLAIN);
        close(r);
        if (r.statusCode() != 200 && r.statusCode() != 401) {
            throw new ImageException(ImageError.REGISTRY_ERROR, "registry " + host + " answered " + r.statusCode() + " on /v2/");
        }
    }

    /** Fetches a manifest by tag or digest; verifies the bytes when {@code reference} is a digest. */
    public FetchedManifest fetchManifest(ImageReference image, String reference) {
        URI uri = URI.create(base(image.apiHost()) + "/v2/" + image.repository() + "/manifests/" + reference);
        HttpResponse<InputStream> r = send(image.apiHost(), image.repository(), uri, null, Request.MANIFEST);
        expectOk(r, image + " manifest " + reference);
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new ImageException(ImageError.REGISTRY_UNREACHABLE, "reading manifest of " + image + " failed: " + e.getMessage(), e);
        }
        if (body.length > MAX_MANIFEST_BYTES) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "manifest of " + image + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Digest actual = Digest.sha256Of(body);
        if (reference.startsWith("sha256:") && !actual.equals(Digest.parse(reference))) {
            throw new ImageException(ImageError.DIGEST_MISMATCH,
                    "manifest " + reference + " of " + image.repository() + " has digest " + actual);
        }
        String contentType = r.headers().firstValue("Content-Type").orElse("");
        return new FetchedManifest(body, contentType, actual);
    }

    /**
     * Resolves {@code image}'s tag (or pinned digest) to the digest and media type of the manifest
     * the registry serves for it, with the Accept list of {@link MediaTypes#MANIFEST_ACCEPT}. Sends
     * HEAD; when the registry omits {@code Docker-Content-Digest} or {@code Content-Type}, falls back
     * to GET and hashes the body (and checks it against a pinned digest).
     *
     * @throws ImageException NOT_FOUND ("manifest unknown: ref") for an unknown tag or repository,
     *                        UNAUTHORIZED when the registry refuses the credentials,
     *                        DIGEST_MISMATCH when the registry's digest differs from the pinned one,
     *                        UNSUPPORTED_MEDIA_TYPE for a document that is no OCI/Docker manifest or index,
     *                        REGISTRY_ERROR / REGISTRY_UNREACHABLE for 5xx and I/O failures
     */
    public ResolvedManifest resolve(ImageReference image) {
        String reference = image.manifestReference();
        URI uri = URI.create(base(image.apiHost()) + "/v2/" + image.repository() + "/manifests/" + reference);
        HttpResponse<InputStream> r = send(image.apiHost(), image.repository(), uri, null, Request.MANIFEST_HEAD);
        if (r.statusCode() == 404) {
            close(r);
            throw new ImageException(ImageError.NOT_FOUND, "manifest unknown: " + image);
        }
        expectOk(r, image + " manifest " + reference);
        close(r);
        String header = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        String contentType = mediaType(r.headers().firstValue("Content-Type").orElse(""));
        Digest digest;
        if (header == null || contentType.isEmpty()) {
            log.debug("registry HEAD lacks digest or type, falling back to GET image={}", image);
            FetchedManifest fetched;
            try {
                fetched = fetchManifest(image, reference);
            } catch (ImageException e) {
                if (e.error() == ImageError.NOT_FOUND) {
                    throw new ImageException(ImageError.NOT_FOUND, "manifest unknown: " + image, e);
                }
                throw e;
            }
            digest = fetched.digest();
            contentType = mediaType(fetched.contentType());
        } else {
            try {
                digest = Digest.parse(header);
            } catch (IllegalArgumentException e) {
                throw new ImageException(ImageError.REGISTRY_ERROR,
                        "registry " + image.apiHost() + " sent an invalid Docker-Content-Digest for " + image + ": " + e.getMessage(), e);
            }
            if (image.digest() != null && !digest.equals(image.digest())) {
                throw new ImageException(ImageError.DIGEST_MISMATCH,
                        "manifest " + reference + " of " + image.repository() + " has digest " + digest);
            }
        }
        if (!MediaTypes.INDEXES.contains(contentType) && !MediaTypes.MANIFESTS.contains(contentType)) {
            throw new ImageException(ImageError.UNSUPPORTED_MEDIA_TYPE,
                    "manifest of " + image + " has media type '" + contentType + "', expected an OCI or Docker manifest or index");
        }
        return new ResolvedManifest(digest, contentType);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).strip();
    }

    /** Opens a blob from {@code offset} (Range request when offset &gt; 0). The caller closes the body. */
    public BlobResponse openBlob(ImageReference image, Digest digest, long offset) {
        URI uri = URI.create(base(image.apiHost()) + "/v2/" + image.repository() + "/blobs/" + digest);
        String range = offset > 0 ? "bytes=" + offset + "-" : null;
        HttpResponse<InputStream> r = send(image.apiHost(), image.repository(), uri, range, Request.PLAIN);
        for (int hops = 0; isRedirect(r.statusCode()); hops++) {
            String location = r.headers().firstValue("Location").orElse(null);
            close(r);
            if (location == null || hops >= MAX_REDIRECTS) {
                throw new ImageException(ImageError.REGISTRY_ERROR, "blob " + digest + " redirect without usable Location");
            }
            r = sendPlain(uri.resolve(location), range);
        }
        if (offset > 0 && r.statusCode() == 206) {
            return new BlobResponse(guard(r.body()), offset);
        }
        expectOk(r, image.repository() + " blob " + digest);
        if (offset > 0) {
            log.info("registry ignored range, restarting blob download digest={} offset={}", digest.shortHex(), offset);
        }
        return new BlobResponse(guard(r.body()), 0);
    }

    private InputStream guard(InputStream body) {
        return new StallGuardedInputStream(body, config.stallTimeout(), STALL_TIMER);
    }

    private HttpResponse<InputStream> send(String host, String repository, URI uri, String range, Request kind) {
        String authorization = repository == null ? null : auth.cached(host, repository).orElse(null);
        HttpResponse<InputStream> r = exchange(uri, range, kind, authorization);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
            close(r);
            if (repository == null) {
                return r;
            }
            auth.forget(host, repository);
            authorization = auth.authorize(host, repository, challenge);
            r = exchange(uri, range, kind, authorization);
            if (r.statusCode() == 401) {
                close(r);
                auth.forget(host, repository);
                throw new ImageException(ImageError.UNAUTHORIZED, "registry " + host + " refused the credentials for " + repository);
            }
        }
        return r;
    }

    private HttpResponse<InputStream> sendPlain(URI uri, String range) {
        return exchange(uri, range, Request.PLAIN, null);
    }

    private HttpResponse<InputStream> exchange(URI uri, String range, Request kind, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(config.requestTimeout());
        if (kind == Request.MANIFEST_HEAD) {
            b.method("HEAD", HttpRequest.BodyPublishers.noBody());
        } else {
            b.GET();
        }
        if (kind != Request.PLAIN) {
            b.header("Accept", MediaTypes.MANIFEST_ACCEPT);
        }
        if (range != null) {
            b.header("Range", range);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ImageException(ImageError.REGISTRY_UNREACHABLE, kind.method() + " " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(ImageError.REGISTRY_UNREACHABLE, "interrupted during " + kind.method() + " " + uri, e);
        }
    }

    private static void expectOk(HttpResponse<InputStream> r, String what) {
        int status = r.statusCode();
        if (status == 200) {
            return;
        }
        close(r);
        if (status == 404) {
            throw new ImageException(ImageError.NOT_FOUND, what + " not found (404)");
        }
        if (status == 401 || status == 403) {
            throw new ImageException(ImageError.UNAUTHORIZED, what + " refused (" + status + ")");
        }
        throw new ImageException(ImageError.REGISTRY_ERROR, what + " failed with HTTP " + status);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // the connection is discarded either way
        }
    }

    private String base(String host) {
        return (config.plainHttpHosts().contains(host) ? "http://" : "https://") + host;
    }
}
