package dev.fleetlet.server.release;

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

/** {@code /api/v1/registries}: credentials the server uses to resolve image tags. Admin only; secrets never returned. */
@Controller("/api/v1/registries")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured("ADMIN")
@Tag(name = "registries")
public class RegistryController {

    private final RegistryCredentialService registries;

    public RegistryController(RegistryCredentialService registries) {
        this.registries = registries;
    }

    @Operation(summary = "List stored registry credentials (without secrets)")
    @Get
    public Page<RegistryCredential> list(@QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        return registries.list(page, size);
    }

    @Operation(summary = "Store credentials for a registry host (the password or token is encrypted at rest and never returned)")
    @Post
    @Status(HttpStatus.CREATED)
    public RegistryCredential create(@Valid @Body CreateRegistryRequest request, Authentication who) {
        return registries.create(request, who.getName());
    }

    @Operation(summary = "Delete the credentials of a registry host")
    @Delete("/{id}")
    public HttpResponse<Void> delete(String id, Authentication who) {
        registries.delete(id, who.getName());
        return HttpResponse.noContent();
    }
}
