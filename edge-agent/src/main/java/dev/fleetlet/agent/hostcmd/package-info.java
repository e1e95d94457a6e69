/**
 * Running host tools (runc, mount, mknod) from the agent: a command line goes in, a result with
 * exit code, stdout and stderr comes out, or an exception that quotes the tool's stderr.
 */
package dev.fleetlet.agent.hostcmd;
