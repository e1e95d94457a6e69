package dev.fleetlet.hil.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only OCI distribution endpoint on {@code 127.0.0.1} that serves image manifests held in memory,
 * so the fleet server can pin release images to digests without a real registry: the demo and the rollout
 * scale test/benchmark use it because their devices are simulated and never pull anything.
 *
 * <p>{@link #addImage(String, String)} makes a small, valid OCI image manifest (its config and layer
 * digests derived from the repository and tag) and answers {@code HEAD} and {@code GET}
 * {@code /v2/<repository>/manifests/<tag or digest>} with it, {@code Docker-Content-Digest} and the OCI media
 * type; {@code GET /v2/} answers 200 without authentication; everything else is 404. Blobs are not served.
 * The server speaks plain HTTP to loopback registries, so references look like
 * {@code 127.0.0.1:<port>/<repository>:<tag>}.
 */
public final class LoopbackRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoopbackRegistry.class);
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();

    private LoopbackRegistry(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Starts on a free loopback port. */
    public static LoopbackRegistry start() {
        return start(0);
    }

    /**
     * Starts on {@code preferredPort} of the loopback interface, or on a free port when that one is taken
     * (0: a free port at once). A fixed port keeps image references, and so release specs, the same across runs.
     */
    public static LoopbackRegistry start(int preferredPort) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), preferredPort), 16);
        } catch (IOException e) {
            if (preferredPort == 0) {
                throw new java.io.UncheckedIOException("cannot start the loopback registry", e);
            }
            log.info("loopback registry port taken, using a free one port={}", preferredPort);
            return start(0);
        }
        return serve(server);
    }

    private static LoopbackRegistry serve(HttpServer server) {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "loopback-registry");
            t.setDaemon(true);
            return t;
        });
        LoopbackRegistry registry = new LoopbackRegistry(server, pool);
        server.createContext("/v2/", registry::handle);
        server.setExecutor(pool);
        server.start();
        log.info("loopback registry started host={}", registry.host());
        return registry;
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Serves a manifest for {@code repository:tag} and returns the image reference with tag
     * ({@code 127.0.0.1:<port>/<repository>:<tag>}) to put into a compose file.
     */
    public String addImage(String repository, String tag) {
        String config = digest(("config " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8));
        String layer = digest(("layer " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8));
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":32}]}"""
                .formatted(MANIFEST_TYPE, config, layer);
        byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
        manifests.put(repository + "@" + tag, body);
        manifests.put(repository + "@" + digest(body), body);
        return host() + "/" + repository + ":" + tag;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), method);
                return;
            }
            int at = path.lastIndexOf("/manifests/");
            byte[] body = at < 0 ? null : manifests.get(path.substring(4, at) + "@" + path.substring(at + 11));
            if (body == null || !(method.equals("GET") || method.equals("HEAD"))) {
                send(exchange, 404, "application/json",
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                                .getBytes(StandardCharsets.UTF_8), method);
                return;
            }
            exchange.getResponseHeaders().add("Docker-Content-Digest", digest(body));
            send(exchange, 200, MANIFEST_TYPE, body, method);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, String method)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
