package dev.fleetlet.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an image's config blob the agent uses: the platform it was built for and the
 * default process (entrypoint, cmd, env, working directory, user).
 */
public record ImageConfig(Platform platform, List<String> entrypoint, List<String> cmd, List<String> env,
                          String workingDir, String user) {

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
    }

    /** Parses a config blob; fails with INVALID_MANIFEST naming the problem. */
    public static ImageConfig parse(byte[] json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "image config is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ImageException(ImageError.INVALID_MANIFEST, "image config is not a JSON object");
        }
        String os = root.path("os").asText("");
        String arch = root.path("architecture").asText("");
        Platform platform = os.isEmpty() || arch.isEmpty() ? null : new Platform(os, arch, root.path("variant").asText(null));
        JsonNode c = root.path("config");
        return new ImageConfig(platform, strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""));
    }

    /** Entrypoint followed by cmd: what runs when a release names no command. */
    public List<String> defaultArgs() {
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        return args;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
