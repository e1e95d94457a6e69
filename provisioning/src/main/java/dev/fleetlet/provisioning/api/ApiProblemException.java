package dev.fleetlet.provisioning.api;

/**
 * The server answered with an error (RFC 9457 problem document, or a bare status).
 *
 * @see FleetApi
 */
public class ApiProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String detail;
    private final String code;

    public ApiProblemException(int status, String title, String detail, String code) {
        super(status + " " + title + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The server's error code name (e.g. {@code NOT_FOUND}), or null. */
    public String code() {
        return code;
    }
}
