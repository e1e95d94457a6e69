package dev.fleetlet.server.device.selector;

/**
 * Selector text that does not parse. {@link #position()} is the 0-based character offset where the
 * problem was found; the message starts with {@code at position N:}.
 */
public class SelectorSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int position;
    private final String reason;

    public SelectorSyntaxException(int position, String reason) {
        super("at position " + position + ": " + reason);
        this.position = position;
        this.reason = reason;
    }

    public int position() {
        return position;
    }

    public String reason() {
        return reason;
    }
}
