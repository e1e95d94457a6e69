package dev.fleetlet.server.auth;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/users}. */
@Serdeable
public record CreateUserRequest(
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9._-]{1,63}", message = "must be 2-64 characters [a-z0-9._-] starting with a letter") String username,
        @NotNull @Size(min = 12, max = 200, message = "must be 12-200 characters") String password,
        @NotNull Role role) {

    @Override
    public String toString() {
        return "CreateUserRequest[username=" + username + ", role=" + role + "]";
    }
}
