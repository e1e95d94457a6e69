/**
 * The fleet certificate authority ({@link dev.fleetlet.server.enrollment.ca.FleetCa}): kept under the data
 * directory (or loaded from an operator's PEM files), it turns a device's PKCS#10 request into a client
 * certificate whose CN is the device id. {@link dev.fleetlet.server.enrollment.DeviceCertificates} uses it at
 * enrollment and for the broker's TLS client authentication.
 */
package dev.fleetlet.server.enrollment.ca;
