/** TLS trust built from the provisioning CA, shared by enrollment (HTTPS) and the MQTT session. */
package dev.fleetlet.agent.tls;
