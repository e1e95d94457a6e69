package dev.fleetlet.agent.enroll;

import java.time.Duration;

/** The result of one enrollment attempt. */
public sealed interface EnrollOutcome {

    /** 200: enrolled; credentials are usable now. */
    record Accepted(DeviceCredentials credentials) implements EnrollOutcome {
    }

    /** 202: waiting for an operator's approval; ask again after {@code retryAfter}. */
    record Pending(Duration retryAfter) implements EnrollOutcome {
    }

    /**
     * 400/401/403: the server refused; retrying only helps after an operator acts (new token, serial
     * allowlisted), so the agent retries slowly.
     *
     * @param status the HTTP status
     * @param reason what to tell the operator, including the server's problem detail
     */
    record Refused(int status, String reason) implements EnrollOutcome {
    }

    /** Network error, timeout, TLS failure, 5xx or an unreadable answer: retry with back-off. */
    record Unavailable(String reason) implements EnrollOutcome {
    }
}
