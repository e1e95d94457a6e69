/**
 * The fleet server as the demo and the end-to-end tests use it: {@code InProcessServer} starts it inside
 * this JVM on chosen or free ports with a given data dir; {@code FleetAdminClient} talks to its operator
 * REST API as a user (HTTP Basic). Nothing here reaches into the server's internals except the
 * application context handed to tests.
 */
package dev.fleetlet.hil.server;
