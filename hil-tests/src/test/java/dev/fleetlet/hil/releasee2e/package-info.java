/**
 * End-to-end rollouts of container releases: the packaged fleet server as a child JVM, three packaged edge agents
 * (simulated boards) running the releases with the host's runc, and a real {@code docker-registry} on loopback the
 * server pins digests against and the agents pull from.
 *
 * <p>Data flow: the test builds busybox images ({@link dev.fleetlet.hil.releasee2e.AppImages}) and pushes them to the
 * registry; creates releases and rollouts through the operator API; the server dispatches desired states over MQTT;
 * each agent pulls, starts the containers under its own runc state root and reports its state; the test reads the
 * rollout's phase, audit and devices, the reported states and the agents' runc state and volume folders
 * ({@link dev.fleetlet.hil.releasee2e.ReleaseFleet}).
 */
package dev.fleetlet.hil.releasee2e;
