package dev.fleetlet.agent.command;

/**
 * Host effects of commands. The real implementation runs the configured reboot command and exits the JVM;
 * tests use a fake that records calls (never reboot a test machine).
 */
public interface SystemActions {

    /**
     * Reboots the board (after the agent's shutdown presence went out, if the reboot command stops the
     * agent through the service manager).
     *
     * @throws Exception when the reboot command cannot be started or fails
     */
    void reboot() throws Exception;

    /** Ends the agent process with an exit code the service manager restarts it on. Does not return normally. */
    void exitForRestart();
}
