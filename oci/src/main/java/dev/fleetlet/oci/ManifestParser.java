package dev.fleetlet.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses index and manifest JSON into {@link ManifestDocument}s; errors name the JSON field. */
public final class ManifestParser {
    private final ObjectMapper json;

    public ManifestParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Parses a manifest. {@code contentType} is the registry's Content-Type, used when the
     * document has no {@code mediaType} field (allowed by the OCI spec).
     */
    public ManifestDocument parse(byte[] body, String contentType) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "manifest is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "manifest is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText(stripParameters(contentType));
        if (MediaTypes.INDEXES.contains(mediaType) || (mediaType.isEmpty() && root.has("manifests"))) {
            return new ManifestDocument.Index(mediaType, descriptors(root, "manifests"));
        }
        if (MediaTypes.MANIFESTS.contains(mediaType) || (mediaType.isEmpty() && root.has("layers"))) {
            if (root.path("schemaVersion").asInt() != 2) {
                throw new ImageException(ImageError.INVALID_MANIFEST, "schemaVersion must be 2");
            }
            JsonNode config = root.get("config");
            if (config == null || !config.isObject()) {
                throw new ImageException(ImageError.INVALID_MANIFEST, "manifest field 'config' is missing");
            }
            return new ManifestDocument.Image(mediaType, descriptor(config, "config"), descriptors(root, "layers"));
        }
        throw new ImageException(ImageError.UNSUPPORTED_MEDIA_TYPE, "manifest media type '" + mediaType + "' is not supported");
    }

    private static List<Descriptor> descriptors(JsonNode root, String field) {
        JsonNode array = root.get(field);
        if (array == null || !array.isArray()) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "manifest field '" + field + "' must be an array");
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String path) {
        String mediaType = node.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "manifest field '" + path + ".mediaType' is missing");
        }
        Digest digest;
        try {
            digest = Digest.parse(node.path("digest").asText(null));
        } catch (IllegalArgumentException e) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "manifest field '" + path + ".digest': " + e.getMessage(), e);
        }
        if (!node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "manifest field '" + path + ".size' must be a non-negative number");
        }
        Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && p.isObject()) {
            platform = new Platform(p.path("os").asText(""), p.path("architecture").asText(""), p.path("variant").asText(null));
        }
        return new Descriptor(mediaType, digest, node.path("size").asLong(), platform);
    }

    static String stripParameters(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
    }
}
