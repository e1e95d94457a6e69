/**
 * The Quick-start demo: {@code Demo} starts the fleet server in-process, creates a provisioning token
 * and a read-only service account through the operator API, starts the fleet simulator with that
 * token, and logs the URLs and credentials to try. Stops everything on Ctrl-C.
 */
package dev.fleetlet.hil.demo;
