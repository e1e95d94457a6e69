/**
 * Agent configuration: one YAML file, read by {@link dev.fleetlet.agent.config.AgentConfigLoader} into the
 * immutable {@link dev.fleetlet.agent.config.AgentConfig} (a last-known-good copy is kept in the data
 * directory and used when the file turns invalid), and the provisioning file from the boot partition,
 * read by {@link dev.fleetlet.agent.config.ProvisioningLoader} into
 * {@link dev.fleetlet.agent.config.Provisioning}. The {@code hardware} subtree is not interpreted here:
 * it goes as YAML text to device-drivers' {@code BoardConfigParser}.
 */
package dev.fleetlet.agent.config;
