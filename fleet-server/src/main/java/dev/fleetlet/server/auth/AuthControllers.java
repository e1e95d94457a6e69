package dev.fleetlet.server.auth;

import dev.fleetlet.server.api.Page;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;

/** HTTP endpoints for users, API tokens and service accounts. */
public final class AuthControllers {

    private AuthControllers() {
    }

    /** {@code /api/v1/users}: admin only. */
    @Controller("/api/v1/users")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Secured("ADMIN")
    @Tag(name = "users")
    public static class Users {
        private final UserService users;

        public Users(UserService users) {
            this.users = users;
        }

        @Operation(summary = "List operator accounts")
        @Get
        public Page<User> list(@QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
            return users.list(page, size);
        }

        @Operation(summary = "Create an operator account")
        @Post
        @Status(HttpStatus.CREATED)
        public User create(@Valid @Body CreateUserRequest request) {
            return users.create(request);
        }
    }

    /** {@code /api/v1/api-tokens}: any signed-in user, for their own tokens. */
    @Controller("/api/v1/api-tokens")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Secured({"ADMIN", "OPERATOR", "VIEWER"})
    @Tag(name = "api-tokens")
    public static class ApiTokens {
        private final ApiTokenService tokens;

        public ApiTokens(ApiTokenService tokens) {
            this.tokens = tokens;
        }

        @Operation(summary = "Create an API token for the calling user; the secret is shown only in this answer")
        @Post
        @Status(HttpStatus.CREATED)
        public CreatedApiToken create(@Valid @Body CreateApiTokenRequest request, Authentication who) {
            return tokens.create(who.getName(), request);
        }

        @Operation(summary = "List the calling user's API tokens")
        @Get
        public List<ApiToken> list(Authentication who) {
            return tokens.list(who.getName());
        }

        @Operation(summary = "Revoke an API token")
        @Post("/{id}/revoke")
        public ApiToken revoke(String id, Authentication who) {
            return tokens.revoke(id, who.getName(), who.getRoles().contains(Role.ADMIN.name()));
        }
    }

    /** {@code /api/v1/service-accounts}: admin only. */
    @Controller("/api/v1/service-accounts")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Secured("ADMIN")
    @Tag(name = "service-accounts")
    public static class ServiceAccounts {
        private final ServiceAccountService accounts;

        public ServiceAccounts(ServiceAccountService accounts) {
            this.accounts = accounts;
        }

        @Operation(summary = "List telemetry-reader service accounts")
        @Get
        public Page<ServiceAccount> list(@QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
            return accounts.list(page, size);
        }

        @Operation(summary = "Create a service account; its MQTT password is shown only in this answer")
        @Post
        @Status(HttpStatus.CREATED)
        public CreatedServiceAccount create(@Valid @Body CreateServiceAccountRequest request, Authentication who) {
            return accounts.create(request, who.getName());
        }

        @Operation(summary = "Delete a service account (its MQTT logins stop at once)")
        @Delete("/{name}")
        public HttpResponse<Void> delete(String name, Authentication who) {
            accounts.delete(name, who.getName());
            return HttpResponse.noContent();
        }
    }
}
