package dev.fleetlet.oci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test-only HTTP proxy in front of a {@link TestRegistry} that can (a) cut one blob response
 * after N bytes, to exercise resume, and (b) demand a Bearer token issued by its own
 * {@code /token} endpoint for given Basic credentials, to exercise the token flow, and (c) drop the
 * {@code Docker-Content-Digest} header, as some registries do. Every request
 * is logged with its Range header, status and body bytes actually sent.
 */
public final class RegistryProxy implements AutoCloseable {

    /** One proxied request. */
    public record Logged(String path, String range, int status, long bytesSent) {
    }

    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Logged> log = new CopyOnWriteArrayList<>();
    private final Set<String> issuedTokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile String cutDigest;
    private volatile long cutAfter;
    private final AtomicBoolean cutDone = new AtomicBoolean();
    private volatile boolean stallInsteadOfCut;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private volatile String bearerUser;
    private volatile String bearerPassword;
    private volatile boolean omitContentDigest;

    public RegistryProxy(TestRegistry registry) throws IOException {
        this.upstream = registry.baseUrl();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next GET of this blob is cut after {@code bytes} body bytes (once). */
    public void cutOnce(String digest, long bytes) {
        cutDigest = digest;
        cutAfter = bytes;
        stallInsteadOfCut = false;
        cutDone.set(false);
    }

    /** The next GET of this blob sends {@code bytes} body bytes, then goes silent without closing (once). */
    public void stallOnce(String digest, long bytes) {
        cutOnce(digest, bytes);
        stallInsteadOfCut = true;
    }

    /** Require {@code Authorization: Bearer} tokens, issued by /token to these Basic credentials. */
    public void requireBearer(String user, String password) {
        bearerUser = user;
        bearerPassword = password;
    }

    /** Drop (true) or pass on (false) the registry's {@code Docker-Content-Digest} response header. */
    public void omitContentDigest(boolean omit) {
        omitContentDigest = omit;
    }

    public List<Logged> log() {
        return List.copyOf(log);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/token")) {
                token(ex);
                return;
            }
            if (bearerUser != null && !authorized(ex)) {
                String repo = path.replaceFirst("^/v2/", "").replaceFirst("/(manifests|blobs)/.*$", "");
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
                        + "/token\",service=\"fleetlet-test\",scope=\"repository:" + repo + ":pull\"");
                ex.sendResponseHeaders(401, -1);
                log.add(new Logged(path, null, 401, 0));
                return;
            }
            forward(ex, path);
        }
    }

    private boolean authorized(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        return auth != null && auth.startsWith("Bearer ") && issuedTokens.contains(auth.substring(7));
    }

    private void token(HttpExchange ex) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((bearerUser + ":" + bearerPassword).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.sendResponseHeaders(401, -1);
            log.add(new Logged("/token", null, 401, 0));
            return;
        }
        String token = UUID.randomUUID().toString();
        issuedTokens.add(token);
        byte[] body = ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        log.add(new Logged("/token?" + ex.getRequestURI().getRawQuery(), null, 200, body.length));
    }

    private void forward(HttpExchange ex, String path) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()));
        String range = ex.getRequestHeaders().getFirst("Range");
        for (String h : List.of("Accept", "Range")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(b.method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        for (String h : List.of("Content-Type", "Content-Range", "Docker-Content-Digest", "Location", "WWW-Authenticate", "Accept-Ranges")) {
            if (!(omitContentDigest && h.equals("Docker-Content-Digest"))) {
                r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
            }
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            r.body().close();
            ex.sendResponseHeaders(r.statusCode(), -1);
            log.add(new Logged("HEAD " + path, range, r.statusCode(), 0));
            return;
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean cut = cutDigest != null && path.endsWith("/blobs/" + cutDigest) && cutDone.compareAndSet(false, true);
        ex.sendResponseHeaders(r.statusCode(), length <= 0 ? -1 : length);
        long sent = 0;
        try (InputStream in = r.body(); OutputStream out = ex.getResponseBody()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (cut && sent + n >= cutAfter) {
                    out.write(buf, 0, (int) (cutAfter - sent));
                    out.flush();
                    sent = cutAfter;
                    log.add(new Logged(path, range, r.statusCode(), sent));
                    if (stallInsteadOfCut) {
                        try {
                            closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    throw new IOException("connection cut by test proxy after " + sent + " bytes");
                }
                out.write(buf, 0, n);
                sent += n;
            }
        }
        log.add(new Logged(path, range, r.statusCode(), sent));
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
