/** The record layout of queue segment files and the scanning that recovers from torn or damaged records. */
package dev.fleetlet.agent.queue.internal;
