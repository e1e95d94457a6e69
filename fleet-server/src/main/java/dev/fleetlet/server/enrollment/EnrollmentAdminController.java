package dev.fleetlet.server.enrollment;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.device.Device;
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

/** Operator side of enrollment: provisioning tokens, the approval queue and the allowlist. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR"})
@Tag(name = "enrollment")
public class EnrollmentAdminController {

    private final ProvisioningTokenService tokens;
    private final EnrollmentService enrollment;
    private final AllowlistService allowlist;

    public EnrollmentAdminController(ProvisioningTokenService tokens, EnrollmentService enrollment, AllowlistService allowlist) {
        this.tokens = tokens;
        this.enrollment = enrollment;
        this.allowlist = allowlist;
    }

    @Operation(summary = "List provisioning tokens (metadata only)")
    @Get("/provisioning-tokens")
    @Secured({"ADMIN", "OPERATOR", "VIEWER"})
    public Page<ProvisioningToken> listTokens(@QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        return tokens.list(page, size);
    }

    @Operation(summary = "Create a provisioning token; the token string is shown only in this answer")
    @Post("/provisioning-tokens")
    @Status(HttpStatus.CREATED)
    public CreatedToken createToken(@Valid @Body CreateTokenRequest request, Authentication who) {
        return tokens.create(request, who.getName());
    }

    @Operation(summary = "Revoke a provisioning token")
    @Post("/provisioning-tokens/{id}/revoke")
    public ProvisioningToken revokeToken(String id, Authentication who) {
        return tokens.revoke(id, who.getName());
    }

    @Operation(summary = "Enrollments waiting for approval (manual policy)")
    @Get("/enrollments/pending")
    @Secured({"ADMIN", "OPERATOR", "VIEWER"})
    public Page<PendingEnrollment> pending(@QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        return enrollment.pending(page, size);
    }

    @Operation(summary = "Approve a pending enrollment: the device is created")
    @Post("/enrollments/{id}/approve")
    public Device approve(String id, Authentication who) {
        return enrollment.approve(id, who.getName());
    }

    @Operation(summary = "Reject a pending enrollment")
    @Post("/enrollments/{id}/reject")
    public PendingEnrollment reject(String id, Authentication who) {
        return enrollment.reject(id, who.getName());
    }

    @Operation(summary = "List the serial allowlist (allowlist policy)")
    @Get("/enrollments/allowlist")
    @Secured({"ADMIN", "OPERATOR", "VIEWER"})
    public Page<AllowlistEntry> listAllowlist(@QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        return allowlist.list(page, size);
    }

    @Operation(summary = "Add serials to the allowlist")
    @Post("/enrollments/allowlist")
    public List<AllowlistEntry> addAllowlist(@Valid @Body AllowlistRequest request) {
        return allowlist.add(request);
    }

    @Operation(summary = "Remove a serial from the allowlist")
    @Delete("/enrollments/allowlist/{serial}")
    public HttpResponse<Void> removeAllowlist(String serial) {
        allowlist.remove(serial);
        return HttpResponse.noContent();
    }
}
