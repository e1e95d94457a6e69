package dev.fleetlet.server.enrollment;

import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.codec.Rejection;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Problem;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /api/v1/enroll}, the device-facing enrollment endpoint (no login; the provisioning token is the
 * credential). The body is decoded with the protocol's codec, so the JSON Schema of
 * {@code EnrollmentRequest} is the validation contract; a violation is a 400 naming the field. Runs on the
 * blocking executor because hashing is deliberately slow.
 */
@Controller("/api/v1/enroll")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "enrollment")
public class EnrollmentController {

    private final EnrollmentService enrollment;
    private final ProtocolCodec codec;

    public EnrollmentController(EnrollmentService enrollment) {
        this.enrollment = enrollment;
        this.codec = new ProtocolCodec();
    }

    @Operation(summary = "Enroll a device with a provisioning token",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = EnrollmentRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "accepted",
                        content = @Content(schema = @Schema(implementation = EnrollmentResponse.class))),
                @ApiResponse(responseCode = "202", description = "pending an operator's approval; retry later"),
                @ApiResponse(responseCode = "400", description = "invalid body"),
                @ApiResponse(responseCode = "401", description = "token unknown, wrong, expired, revoked or exhausted"),
                @ApiResponse(responseCode = "403", description = "serial not allowed, rejected or decommissioned")})
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> enroll(@Body byte[] body) {
        Decoded<EnrollmentRequest> decoded = codec.decode(MessageType.ENROLLMENT_REQUEST, body);
        if (decoded instanceof Decoded.Rejected<EnrollmentRequest> rejected) {
            Rejection r = rejected.rejection();
            String field = r.field().isEmpty() ? "body" : r.field().substring(1).replace('/', '.');
            throw new ApiException(ErrorCode.VALIDATION_FAILED, r.message(), List.of(new Problem.FieldError(field, r.message())));
        }
        EnrollmentResponse response = enrollment.enroll(decoded.orElseThrow());
        HttpStatus status = response.status() == EnrollmentResponse.Status.ACCEPTED ? HttpStatus.OK : HttpStatus.ACCEPTED;
        String json = new String(codec.encode(MessageType.ENROLLMENT_RESPONSE, response), StandardCharsets.UTF_8);
        MutableHttpResponse<String> out = HttpResponse.<String>status(status).body(json).contentType(MediaType.APPLICATION_JSON_TYPE);
        if (response.retryAfterSeconds() != null) {
            out.header(HttpHeaders.RETRY_AFTER, Integer.toString(response.retryAfterSeconds()));
        }
        return out;
    }
}
