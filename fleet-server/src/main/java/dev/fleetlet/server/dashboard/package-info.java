/**
 * The operator dashboard served by the fleet server itself.
 *
 * <p>Data flow: the browser signs in at {@code /ui/login} ({@link dev.fleetlet.server.dashboard.LoginController});
 * the server keeps the session in memory ({@link dev.fleetlet.server.dashboard.DashboardSessions}) and hands out an
 * HttpOnly session cookie plus a readable CSRF cookie. {@link dev.fleetlet.server.dashboard.SessionAuthenticationFetcher}
 * turns the session cookie into a micronaut-security authentication, so the pages' ES modules call the normal
 * {@code /api/v1/...} endpoints with the same roles as Basic/bearer clients, and
 * {@link dev.fleetlet.server.dashboard.CsrfFilter} demands the CSRF header on every state-changing request that is
 * authenticated by the cookie. Page routes ({@link dev.fleetlet.server.dashboard.PageController}) answer a small
 * HTML shell; static assets come from {@code classpath:dashboard} and the uPlot WebJar. Aggregates the browser
 * must not compute from thousands of rows (fleet overview, device search) come from
 * {@link dev.fleetlet.server.dashboard.DashboardApiController}. Live updates arrive over
 * {@code /api/v1/events/stream} (SSE).
 */
package dev.fleetlet.server.dashboard;
