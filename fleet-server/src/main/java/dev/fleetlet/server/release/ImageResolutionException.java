package dev.fleetlet.server.release;

/** An image reference could not be resolved to a digest; the message names the image and the registry. */
public class ImageResolutionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why; decides the HTTP answer of a release creation. */
    public enum Kind {
        /** Not a valid image reference (400). */
        INVALID_REFERENCE,
        /** The registry does not know the repository or tag (400). */
        NOT_FOUND,
        /** The registry refused the stored credentials or anonymous access (502, fix with /api/v1/registries). */
        UNAUTHORIZED,
        /** The registry could not be reached or answered with a server error (502). */
        UNAVAILABLE,
        /** The registry answered with something that is no image manifest or index (400). */
        INVALID_IMAGE
    }

    private final Kind kind;
    private final String image;

    public ImageResolutionException(Kind kind, String image, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.image = image;
    }

    public Kind kind() {
        return kind;
    }

    /** The image reference as written in the compose. */
    public String image() {
        return image;
    }
}
