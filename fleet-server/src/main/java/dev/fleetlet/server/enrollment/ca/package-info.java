/**
 * The fleet certificate authority ({@link dev.fleetlet.server.enrollment.ca.FleetCa}): kept under the data
 * directory (or loaded from an operator's PEM files), it turns a device's PKCS#10 request into a client
 * certificate whose CN is the device id. Not yet wired into enrollment or the broker's TLS listener.
 */
package dev.fleetlet.server.enrollment.ca;
