package dev.fleetlet.server.release;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A test {@link ImageDigestResolver}: answers from a script of image → digest or failure, and records calls. */
final class ScriptedImageResolver implements ImageDigestResolver {

    private final Map<String, Object> answers = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    ScriptedImageResolver digest(String image, String digest) {
        answers.put(image, new ResolvedImage(image + "@" + digest, digest, "application/vnd.oci.image.manifest.v1+json"));
        return this;
    }

    ScriptedImageResolver fail(String image, ImageResolutionException.Kind kind, String message) {
        answers.put(image, new ImageResolutionException(kind, image, message, null));
        return this;
    }

    @Override
    public ResolvedImage resolve(String image) {
        calls.add(image);
        Object answer = answers.get(image);
        if (answer instanceof ResolvedImage r) {
            return r;
        }
        if (answer instanceof ImageResolutionException e) {
            throw e;
        }
        throw new ImageResolutionException(ImageResolutionException.Kind.NOT_FOUND, image, "manifest unknown: " + image, null);
    }
}
