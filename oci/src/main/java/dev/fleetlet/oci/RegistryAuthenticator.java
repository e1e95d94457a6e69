package dev.fleetlet.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers registry 401 challenges: Basic (credentials sent directly) and Bearer (a token fetched
 * from the challenge's realm with service and scope, with Basic credentials when configured,
 * anonymously otherwise). Authorization values are cached per host and repository.
 */
final class RegistryAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(RegistryAuthenticator.class);

    private final HttpClient http;
    private final RegistryCredentialsProvider credentials;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    RegistryAuthenticator(HttpClient http, RegistryCredentialsProvider credentials, ObjectMapper json, Duration timeout) {
        this.http = http;
        this.credentials = credentials;
        this.json = json;
        this.timeout = timeout;
    }

    Optional<String> cached(String host, String repository) {
        return Optional.ofNullable(cache.get(host + " " + repository));
    }

    /** Works out an Authorization header value for the challenge and caches it. */
    String authorize(String host, String repository, String wwwAuthenticate) {
        AuthChallenge challenge = AuthChallenge.parse(wwwAuthenticate);
        Optional<RegistryCredentials> creds = credentials.forHost(host);
        String header;
        if (challenge.isBasic()) {
            RegistryCredentials c = creds.orElseThrow(() -> new ImageException(ImageError.UNAUTHORIZED,
                    "registry " + host + " requires credentials and none are configured for it"));
            header = basic(c);
        } else if (challenge.isBearer()) {
            header = "Bearer " + fetchToken(host, repository, challenge, creds);
        } else {
            throw new ImageException(ImageError.UNAUTHORIZED,
                    "registry " + host + " asked for unsupported auth scheme '" + challenge.scheme() + "'");
        }
        cache.put(host + " " + repository, header);
        return header;
    }

    void forget(String host, String repository) {
        cache.remove(host + " " + repository);
    }

    private String fetchToken(String host, String repository, AuthChallenge challenge, Optional<RegistryCredentials> creds) {
        String realm = challenge.parameters().get("realm");
        if (realm == null || realm.isBlank()) {
            throw new ImageException(ImageError.UNAUTHORIZED, "registry " + host + " sent a Bearer challenge without realm");
        }
        String scope = challenge.parameters().getOrDefault("scope", "repository:" + repository + ":pull");
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        String service = challenge.parameters().get("service");
        if (service != null) {
            url.append("service=").append(enc(service)).append('&');
        }
        url.append("scope=").append(enc(scope));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(timeout).GET();
        creds.ifPresent(c -> request.header("Authorization", basic(c)));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ImageException(ImageError.REGISTRY_UNREACHABLE, "token service " + realm + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(ImageError.REGISTRY_UNREACHABLE, "interrupted while fetching a token from " + realm, e);
        }
        if (response.statusCode() != 200) {
            throw new ImageException(ImageError.UNAUTHORIZED,
                    "token service " + realm + " answered " + response.statusCode() + " for scope " + scope);
        }
        try {
            JsonNode body = json.readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new ImageException(ImageError.UNAUTHORIZED, "token service " + realm + " returned no token");
            }
            log.debug("registry token obtained host={} scope={} authenticated={}", host, scope, creds.isPresent());
            return token;
        } catch (IOException e) {
            throw new ImageException(ImageError.UNAUTHORIZED, "token service " + realm + " returned invalid JSON", e);
        }
    }

    private static String basic(RegistryCredentials c) {
        String pair = c.username() + ":" + c.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
