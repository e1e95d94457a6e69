package dev.fleetlet.oci;

/** A failed image pull, unpack or store operation, with a machine-readable {@link ImageError}. */
public class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ImageError error;

    public ImageException(ImageError error, String message) {
        this(error, message, null);
    }

    public ImageException(ImageError error, String message, Throwable cause) {
        super(error + ": " + message, cause);
        this.error = error;
    }

    public ImageError error() {
        return error;
    }
}
