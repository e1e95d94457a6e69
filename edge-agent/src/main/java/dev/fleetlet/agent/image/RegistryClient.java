package dev.fleetlet.agent.image;

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
     * An open blob body. {@code startOffset} is where {@code body} begins in the blob: the
     * requested offset when the registry honoured the Range, 0 when it sent the whole blob.
     */
    public record BlobResponse(InputStream body, long startOffset) {
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
        HttpResponse<InputStream> r = send(host, null, URI.create(base(host) + "/v2/"), null, false);
        close(r);
        if (r.statusCode() != 200 && r.statusCode() != 401) {
            throw new ImageException(ImageError.REGISTRY_ERROR, "registry " + host + " answered " + r.statusCode() + " on /v2/");
        }
    }

    /** Fetches a manifest by tag or digest; verifies the bytes when {@code reference} is a digest. */
    public FetchedManifest fetchManifest(ImageReference image, String reference) {
        URI uri = URI.create(base(image.apiHost()) + "/v2/" + image.repository() + "/manifests/" + reference);
        HttpResponse<InputStream> r = send(image.apiHost(), image.repository(), uri, null, true);
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

    /** Opens a blob from {@code offset} (Range request when offset &gt; 0). The caller closes the body. */
    public BlobResponse openBlob(ImageReference image, Digest digest, long offset) {
        URI uri = URI.create(base(image.apiHost()) + "/v2/" + image.repository() + "/blobs/" + digest);
        String range = offset > 0 ? "bytes=" + offset + "-" : null;
        HttpResponse<InputStream> r = send(image.apiHost(), image.repository(), uri, range, false);
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

    private HttpResponse<InputStream> send(String host, String repository, URI uri, String range, boolean manifest) {
        String authorization = repository == null ? null : auth.cached(host, repository).orElse(null);
        HttpResponse<InputStream> r = exchange(uri, range, manifest, authorization);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
            close(r);
            if (repository == null) {
                return r;
            }
            auth.forget(host, repository);
            authorization = auth.authorize(host, repository, challenge);
            r = exchange(uri, range, manifest, authorization);
            if (r.statusCode() == 401) {
                close(r);
                auth.forget(host, repository);
                throw new ImageException(ImageError.UNAUTHORIZED, "registry " + host + " refused the credentials for " + repository);
            }
        }
        return r;
    }

    private HttpResponse<InputStream> sendPlain(URI uri, String range) {
        return exchange(uri, range, false, null);
    }

    private HttpResponse<InputStream> exchange(URI uri, String range, boolean manifest, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).GET();
        if (manifest) {
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
            throw new ImageException(ImageError.REGISTRY_UNREACHABLE, "GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(ImageError.REGISTRY_UNREACHABLE, "interrupted during GET " + uri, e);
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
