package dev.fleetlet.drivers.gpio;

/**
 * Software debounce and edge counting for one digital input, driven by raw level changes and the
 * time they happened (milliseconds from the injected clock).
 *
 * <p>A raw level becomes the debounced level once it has been stable for {@code debounceMillis}; a
 * burst of bounces shorter than that changes nothing. Stability is checked whenever a new raw
 * change arrives and whenever the state is read, so a pulse that is longer than the debounce time
 * is counted even if it ends before the next sample. Each debounced change to active counts one
 * edge. Not thread-safe: the owner synchronises.
 */
final class Debouncer {

    private final long debounceMillis;
    private boolean raw;
    private long rawSince;
    private boolean stable;
    private long edges;
    private long lastEdgeAt = -1;

    Debouncer(long debounceMillis, boolean initial, long now) {
        this.debounceMillis = debounceMillis;
        this.raw = initial;
        this.stable = initial;
        this.rawSince = now;
    }

    /** Records the raw (logical, active = true) level seen at {@code now}. */
    void raw(boolean level, long now) {
        settle(now);
        if (level != raw) {
            raw = level;
            rawSince = now;
            settle(now);
        }
    }

    /** Commits the raw level if it has been stable long enough by {@code now}. */
    void settle(long now) {
        if (raw != stable && now - rawSince >= debounceMillis) {
            stable = raw;
            if (stable) {
                edges++;
                lastEdgeAt = rawSince;
            }
        }
    }

    boolean stable() {
        return stable;
    }

    long edges() {
        return edges;
    }

    /** When the last counted active edge began (clock millis), or -1 before the first. */
    long lastEdgeAt() {
        return lastEdgeAt;
    }
}
