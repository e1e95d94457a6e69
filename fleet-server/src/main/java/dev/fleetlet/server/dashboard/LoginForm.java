package dev.fleetlet.server.dashboard;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The login form ({@code application/x-www-form-urlencoded}).
 *
 * @param username user name
 * @param password password (never logged)
 * @param next     dashboard path to go to after signing in; anything not under {@code /ui} is ignored
 */
@Serdeable
public record LoginForm(@Nullable String username, @Nullable String password, @Nullable String next) {

    @Override
    public String toString() {
        return "LoginForm[username=" + username + ", next=" + next + "]";
    }
}
