/**
 * The real edge agent as a child process, for end-to-end tests against a real fleet server.
 *
 * <p>{@link dev.fleetlet.hil.agent.AgentProcess} writes one device's files (a fake filesystem root whose
 * {@code /etc/machine-id} is the hardware serial, a provisioning file with server URL, token and optional CA, an
 * {@code agent.yml} on the simulated board with three sensors, a data dir), then runs the package's launcher
 * script ({@code fleetlet-agent --config agent.yml}, see {@link dev.fleetlet.hil.agent.AgentLaunch}), which execs
 * {@code java <the package's JVM options> -jar fleetlet-agent.jar} with {@code lib/} beside it, as on a board. The agent enrolls over HTTP(S), connects to the server's
 * broker and publishes; its standard output and error go to one log file per device that tests read (connects,
 * enrollment errors, the queue's counters) and attach to failures. The fixture never reaches into the
 * agent's process: what it knows comes from that log and the files in the data dir.
 *
 * <p>{@link dev.fleetlet.hil.agent.FleetServerProcess} runs the packaged fleet server as its own JVM on a fixed data
 * dir and ports, for tests that stop and start the server (and its broker) while agents stay up.
 */
package dev.fleetlet.hil.agent;
