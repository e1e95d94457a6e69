package dev.fleetlet.server.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become {@code application/problem+json}: {@link ApiException}s thrown by the
 * application (their {@link ErrorCode} gives the status), and every error the framework produces itself
 * (unknown route, undecodable body, bean-validation failures, 401/403 from security, uncaught exceptions),
 * which Micronaut routes through this {@link ErrorResponseProcessor}.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
@Produces(ProblemHandler.PROBLEM_JSON)
public class ProblemHandler implements ErrorResponseProcessor<Problem>, ExceptionHandler<ApiException, HttpResponse<Problem>> {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final MediaType PROBLEM_JSON_TYPE = MediaType.of(PROBLEM_JSON);

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<Problem> handle(HttpRequest request, ApiException exception) {
        return respond(HttpResponse.status(exception.code().status()),
                Problem.of(exception.code(), exception.getMessage(), exception.errors()));
    }

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        ErrorCode code = ErrorCode.forStatus(status);
        List<Problem.FieldError> fields = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        Throwable cause = context.getRootCause().orElse(null);
        if (cause instanceof ConstraintViolationException violations) {
            for (ConstraintViolation<?> v : violations.getConstraintViolations()) {
                String field = fieldName(v.getPropertyPath().toString());
                fields.add(new Problem.FieldError(field, v.getMessage()));
                messages.add(field + ": " + v.getMessage());
            }
            fields.sort(java.util.Comparator.comparing(Problem.FieldError::field));
            messages.sort(null);
        } else {
            for (Error e : context.getErrors()) {
                messages.add(e.getMessage());
                e.getPath().ifPresent(p -> fields.add(new Problem.FieldError(fieldName(p), e.getMessage())));
            }
        }
        if (!fields.isEmpty() && status == 400) {
            code = ErrorCode.VALIDATION_FAILED;
        }
        String detail;
        if (status >= 500) {
            context.getRootCause().ifPresent(t -> log.error("request failed method={} path={}",
                    context.getRequest().getMethod(), context.getRequest().getPath(), t));
            detail = "internal error; see the server log";
        } else if (!messages.isEmpty()) {
            detail = String.join("; ", messages);
        } else {
            detail = code.title();
        }
        return respond(response, Problem.of(code, detail, fields));
    }

    private static MutableHttpResponse<Problem> respond(MutableHttpResponse<?> response, Problem problem) {
        return response.body(problem).contentType(PROBLEM_JSON_TYPE);
    }

    /**
     * Bean-validation paths look like {@code create.request.labels[env]}: method, argument, then the field.
     * Keep the field part; framework paths without a method prefix pass through.
     */
    static String fieldName(String path) {
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : path;
    }
}
