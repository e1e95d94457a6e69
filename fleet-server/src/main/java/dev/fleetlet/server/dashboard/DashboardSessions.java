package dev.fleetlet.server.dashboard;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard login sessions, kept in memory: a random 256-bit session id (the HttpOnly cookie) maps to the user
 * name and a random CSRF token. Sessions end on logout, after {@code fleetlet.dashboard.session-idle-timeout}
 * (default 8h) without a request, or after {@code fleetlet.dashboard.session-max-age} (default 24h). A server restart
 * ends every session (users sign in again). At most {@code fleetlet.dashboard.max-sessions} (default 10,000) live
 * sessions; beyond that the oldest expiring ones are dropped first. Thread-safe.
 */
@Singleton
public class DashboardSessions {

    /** One signed-in browser. */
    public record Session(String id, String username, String csrfToken, Instant createdAt, Instant lastUsed) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;
    private final int maxSessions;

    public DashboardSessions(Clock clock,
                             @Value("${fleetlet.dashboard.session-idle-timeout:8h}") Duration idleTimeout,
                             @Value("${fleetlet.dashboard.session-max-age:24h}") Duration maxAge,
                             @Value("${fleetlet.dashboard.max-sessions:10000}") int maxSessions) {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("fleetlet.dashboard.session-idle-timeout must be positive");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("fleetlet.dashboard.session-max-age must be positive");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("fleetlet.dashboard.max-sessions must be >= 1");
        }
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
        this.maxSessions = maxSessions;
    }

    /** Starts a session for a user whose password was just checked. */
    public Session create(String username) {
        Instant now = clock.instant();
        if (sessions.size() >= maxSessions) {
            evictExpired(now);
            while (sessions.size() >= maxSessions) {
                sessions.values().stream().min(java.util.Comparator.comparing(Session::lastUsed))
                        .ifPresent(s -> sessions.remove(s.id()));
            }
        }
        Session s = new Session(randomToken(), username, randomToken(), now, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id, its idle clock restarted; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        // refresh at most once a minute, so a busy page does not rewrite the map on every request
        if (Duration.between(s.lastUsed(), now).compareTo(Duration.ofMinutes(1)) > 0) {
            Session touched = new Session(s.id(), s.username(), s.csrfToken(), s.createdAt(), now);
            sessions.replace(id, s, touched);
            return Optional.of(touched);
        }
        return Optional.of(s);
    }

    /** Ends the session; unknown ids are ignored. */
    public void invalidate(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of a user (e.g. after the account was disabled). */
    public void invalidateUser(String username) {
        sessions.values().removeIf(s -> s.username().equals(username));
    }

    /** Whether {@code presented} is this session's CSRF token (constant-time comparison). */
    public static boolean csrfMatches(Session session, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(idleTimeout)) || !now.isBefore(s.createdAt().plus(maxAge));
    }

    private void evictExpired(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
    }

    private static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
