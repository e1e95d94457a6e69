package dev.fleetlet.server.dashboard;

import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.webjars.WebJarVersionLocator;

/**
 * The dashboard's server-rendered HTML templates ({@code classpath:dashboard/*.html}, read once) and the import map
 * that points bare module names at the WebJars served under {@code /ui/vendor/} (versions found by
 * webjars-locator-lite, so upgrading a WebJar in the pom needs no page change). A missing template or WebJar is a
 * packaging error and fails loudly with the resource name.
 */
@Singleton
public class DashboardAssets {

    static final String VENDOR_PREFIX = "/ui/vendor/";
    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private final String importMap;

    public DashboardAssets() {
        WebJarVersionLocator locator = new WebJarVersionLocator();
        String uplot = locator.path("uplot", "dist/uPlot.esm.js");
        String uplotCss = locator.path("uplot", "dist/uPlot.min.css");
        if (uplot == null || uplotCss == null) {
            throw new IllegalStateException("WebJar org.webjars.npm:uplot (dist/uPlot.esm.js) is not on the class path");
        }
        this.importMap = "{\"imports\":{\"uplot\":\"" + VENDOR_PREFIX + uplot + "\"}}";
        this.uplotCss = VENDOR_PREFIX + uplotCss;
        this.importMapHash = sha256(importMap);
    }

    private final String uplotCss;
    private final String importMapHash;

    /** The text of {@code classpath:dashboard/<name>}. */
    public String text(String name) {
        return cache.computeIfAbsent(name, n -> {
            try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream("dashboard/" + n)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard resource missing: dashboard/" + n);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dashboard/" + n, e);
            }
        });
    }

    /** JSON of the {@code <script type="importmap">}. */
    public String importMap() {
        return importMap;
    }

    /** URL of the chart library's style sheet. */
    public String uplotCss() {
        return uplotCss;
    }

    /** Marks a response as never cached (pages carry per-user state) and sets the security headers. */
    <T> MutableHttpResponse<T> secureHeaders(MutableHttpResponse<T> response) {
        return noStore(response).header("Content-Security-Policy", "default-src 'self'; script-src 'self' '"
                + importMapHash + "'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }

    static <T> MutableHttpResponse<T> noStore(MutableHttpResponse<T> response) {
        return response.header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin");
    }

    private static String sha256(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + java.util.Base64.getEncoder().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
