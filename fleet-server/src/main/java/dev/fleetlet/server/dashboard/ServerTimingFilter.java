package dev.fleetlet.server.dashboard;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Locale;

/**
 * Adds a {@code Server-Timing: app;dur=<ms>} header to every dashboard and API response ({@code /ui/**}, {@code /api/**}): the time from
 * the request entering the filter chain (before authentication) to the response leaving the controller, without
 * JSON encoding and network time. The browser's developer tools show it next to each request; the dashboard
 * benchmark reads it to report server-side latency.
 */
@ServerFilter({"/ui/**", "/api/**"})
public class ServerTimingFilter implements Ordered {

    static final String START = "fleetlet.dashboard.start-nanos";

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        request.setAttribute(START, System.nanoTime());
    }

    @ResponseFilter
    public void finish(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(START, Long.class).ifPresent(start -> response.header("Server-Timing",
                String.format(Locale.ROOT, "app;dur=%.2f", (System.nanoTime() - start) / 1e6)));
    }
}
