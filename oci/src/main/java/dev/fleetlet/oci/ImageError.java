package dev.fleetlet.oci;

/** Why an image operation failed. {@link #retryable()} says whether trying again later may help. */
public enum ImageError {
    REGISTRY_UNREACHABLE(true),
    UNAUTHORIZED(false),
    NOT_FOUND(false),
    REGISTRY_ERROR(true),
    INVALID_MANIFEST(false),
    UNSUPPORTED_MEDIA_TYPE(false),
    NO_MATCHING_PLATFORM(false),
    DIGEST_MISMATCH(false),
    SIZE_MISMATCH(false),
    INSUFFICIENT_DISK_SPACE(true),
    UNSAFE_LAYER(false),
    STORE_IO(true);

    private final boolean retryable;

    ImageError(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
