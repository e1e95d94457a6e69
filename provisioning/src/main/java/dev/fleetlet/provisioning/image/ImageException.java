package dev.fleetlet.provisioning.image;

/** An image or device that fleetctl refuses to work on, or a tool failure while writing it; the message says why. */
public class ImageException extends RuntimeException {

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
