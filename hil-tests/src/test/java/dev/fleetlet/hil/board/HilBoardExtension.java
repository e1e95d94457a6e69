package dev.fleetlet.hil.board;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The board setup every {@code *HilTest} shares: register as
 * {@code @RegisterExtension static final HilBoardExtension hil = new HilBoardExtension();}.
 *
 * <p>Before all tests of the class it calls {@link HilBoard#requireFromSystemProperties()}, so a run
 * without {@code -Dfleetlet.hil.board=pi} fails (never skips) with that method's message; after each
 * test it closes whatever the test opened through {@link #board()}. {@code @AfterEach} methods of the
 * test class run before the close.
 */
final class HilBoardExtension implements BeforeAllCallback, AfterEachCallback {

    private HilBoard board;

    @Override
    public void beforeAll(ExtensionContext context) {
        board = HilBoard.requireFromSystemProperties();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (board != null) {
            board.close();
        }
    }

    /** The board required in {@code beforeAll}; fails if asked for before that ran. */
    HilBoard board() {
        if (board == null) {
            throw new IllegalStateException("HilBoardExtension: board() before beforeAll; register it as a static @RegisterExtension field");
        }
        return board;
    }
}
