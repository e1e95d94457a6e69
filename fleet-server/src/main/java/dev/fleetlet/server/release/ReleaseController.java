package dev.fleetlet.server.release;

import dev.fleetlet.server.api.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;

/**
 * {@code /api/v1/releases}: immutable, digest-pinned releases. Reads for every role; create and delete for
 * admin and operator.
 */
@Controller("/api/v1/releases")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
@Tag(name = "releases")
public class ReleaseController {

    private final ReleaseService releases;

    public ReleaseController(ReleaseService releases) {
        this.releases = releases;
    }

    @Operation(summary = "List releases, newest first, optionally only those of one app name")
    @Get
    public Page<ReleaseSummary> list(@Nullable @QueryValue String name, @QueryValue(defaultValue = "0") int page,
                                     @QueryValue(defaultValue = "50") int size) {
        return releases.list(name, page, size);
    }

    @Operation(summary = "Create a release from a compose app spec (JSON body with name, version, compose, notes); "
            + "every image tag is pinned to its current digest")
    @ApiResponse(responseCode = "201", description = "created")
    @ApiResponse(responseCode = "200", description = "the same name, version and spec existed already")
    @ApiResponse(responseCode = "400", description = "invalid spec (errors name key paths) or unknown image tag (names the service)")
    @ApiResponse(responseCode = "409", description = "the name and version exist with a different spec")
    @ApiResponse(responseCode = "502", description = "a registry is unreachable or refused the stored credentials")
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<ReleaseDetail> create(@Body CreateReleaseRequest request, Authentication who) {
        return respond(releases.create(request, who.getName()));
    }

    @Operation(summary = "Create a release from compose YAML sent as the body; name, version and notes as query parameters")
    @Post
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml"})
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<ReleaseDetail> createFromYaml(@Body String compose, @Nullable @QueryValue String name,
                                                      @Nullable @QueryValue String version, @Nullable @QueryValue String notes,
                                                      Authentication who) {
        return respond(releases.create(new CreateReleaseRequest(name, version, compose, notes), who.getName()));
    }

    @Operation(summary = "Create a release from an existing one with the same pinned image digests and changed "
            + "environment variables (no registry lookup): the path for config/env rollouts")
    @ApiResponse(responseCode = "201", description = "created")
    @ApiResponse(responseCode = "200", description = "the same name, version and resulting spec existed already")
    @ApiResponse(responseCode = "400", description = "invalid version, unknown service or invalid resulting spec")
    @ApiResponse(responseCode = "404", description = "no such source release")
    @ApiResponse(responseCode = "409", description = "the name and version exist with a different spec")
    @Post("/{id}/derive")
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<ReleaseDetail> derive(String id, @Body DeriveReleaseRequest request, Authentication who) {
        return respond(releases.derive(id, request, who.getName()));
    }

    @Operation(summary = "Get one release: pinned spec, original compose, resolved digests per service, requirements")
    @Get("/{id}")
    public ReleaseDetail get(String id) {
        return releases.get(id);
    }

    @Operation(summary = "Difference between two releases' pinned specs (from {id} to {otherId})")
    @Get("/{id}/diff/{otherId}")
    public ReleaseDiff diff(String id, String otherId) {
        return releases.diff(id, otherId);
    }

    @Operation(summary = "Delete a release no device, pin or rollout uses (409 otherwise)")
    @Delete("/{id}")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<Void> delete(String id, Authentication who) {
        releases.delete(id, who.getName());
        return HttpResponse.noContent();
    }

    private static HttpResponse<ReleaseDetail> respond(ReleaseService.Created result) {
        if (result.created()) {
            return HttpResponse.created(result.release(), URI.create("/api/v1/releases/" + result.release().id()));
        }
        return HttpResponse.ok(result.release());
    }
}
