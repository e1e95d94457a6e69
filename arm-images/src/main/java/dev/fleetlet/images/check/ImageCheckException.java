package dev.fleetlet.images.check;

/** The image cannot be checked at all: not a disk image, not a Fleetlet layout, a tool missing or failing. */
public final class ImageCheckException extends RuntimeException {
    public ImageCheckException(String message) {
        super(message);
    }

    public ImageCheckException(String message, Throwable cause) {
        super(message, cause);
    }
}
