/**
 * Dashboard tests against a real in-process fleet server with simulated devices: {@code DashboardBrowserIT} drives
 * Debian's headless chromium through chromedriver (Selenium) and saves a screenshot of each page under
 * {@code <build dir>/screenshots/}; {@code DashboardBench} (-Pbench) measures page and API latency at 10,000 devices.
 */
package dev.fleetlet.hil.dashboard;
