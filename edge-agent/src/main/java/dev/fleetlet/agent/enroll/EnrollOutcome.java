package dev.fleetlet.agent.enroll;

import java.time.Duration;

/** The result of one enrollment attempt. */
public sealed interface EnrollOutcome {

    /**
     * 200: enrolled; credentials are usable now.
     *
     * @param certificateChain the client certificate chain (PEM, device certificate first) when the request
     *                         carried a CSR; empty otherwise
     */
    record Accepted(DeviceCredentials credentials, java.util.List<String> certificateChain) implements EnrollOutcome {

        /** Accepted without a certificate (password credential). */
        public Accepted(DeviceCredentials credentials) {
            this(credentials, java.util.List.of());
        }

        public Accepted {
            certificateChain = certificateChain == null ? java.util.List.of() : java.util.List.copyOf(certificateChain);
        }
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
