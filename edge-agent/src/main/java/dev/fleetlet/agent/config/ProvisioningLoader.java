package dev.fleetlet.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.config.internal.NodeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the provisioning file (JSON) an image carries on its boot partition:
 *
 * <pre>
 * {
 *   "serverUrl": "https://fleet.example:8443",
 *   "token": "flt_...",
 *   "caCertificatePem": "-----BEGIN CERTIFICATE-----\n...",   (optional)
 *   "hostnamePattern": "sensor-{serial}"                       (optional)
 * }
 * </pre>
 *
 * Errors name the key; the token never appears in a message.
 */
public final class ProvisioningLoader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws AgentConfigException when the file is missing, not JSON, or a key is invalid
     */
    public Provisioning load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AgentConfigException("provisioning file", List.of("(file): " + file
                    + " does not exist; the image must carry it on its boot partition"));
        } catch (IOException e) {
            throw new AgentConfigException("provisioning file", List.of("(file): cannot read " + file + ": " + e));
        }
        return parse(text);
    }

    public Provisioning parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new AgentConfigException("provisioning file", List.of("(file): not valid JSON"));
        }
        if (root == null || !root.isObject()) {
            throw new AgentConfigException("provisioning file",
                    List.of("(file): expected a JSON object with serverUrl and token"));
        }
        NodeReader r = NodeReader.root(root);
        r.allowOnly(Set.of("serverUrl", "token", "caCertificatePem", "hostnamePattern"));
        URI serverUrl = null;
        String url = r.string("serverUrl", null);
        if (url == null) {
            r.problem("serverUrl", "required: the fleet server's base URL, e.g. https://fleet.example:8443");
        } else {
            try {
                serverUrl = new URI(url);
                if (!Set.of("http", "https").contains(serverUrl.getScheme()) || serverUrl.getHost() == null) {
                    r.problem("serverUrl", "expected an http or https URL with a host, got '" + url + "'");
                }
            } catch (URISyntaxException e) {
                r.problem("serverUrl", "expected a URL, got '" + url + "'");
            }
        }
        JsonNode tokenNode = r.raw("token");
        String token = tokenNode != null && tokenNode.isTextual() ? tokenNode.asText().trim() : "";
        if (token.length() < 16) {
            r.problem("token", "required: the provisioning token (at least 16 characters)");
        }
        Optional<String> ca = Optional.ofNullable(r.string("caCertificatePem", null));
        ca.ifPresent(pem -> {
            try {
                if (CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .isEmpty()) {
                    r.problem("caCertificatePem", "expected at least one PEM certificate, found none");
                }
            } catch (CertificateException e) {
                r.problem("caCertificatePem", "expected PEM X.509 certificates: " + e.getMessage());
            }
        });
        Optional<String> pattern = Optional.ofNullable(r.string("hostnamePattern", null));
        pattern.ifPresent(p -> {
            if (!p.matches("[a-z0-9{}-]{1,63}") || p.replace("{serial}", "").contains("{")) {
                r.problem("hostnamePattern", "expected lowercase letters, digits, dashes and {serial}, got '" + p + "'");
            }
        });
        if (!r.problems().isEmpty()) {
            throw new AgentConfigException("provisioning file", r.problems());
        }
        return new Provisioning(serverUrl, token, ca, pattern);
    }
}
