/**
 * Implementation of the app spec parser: {@code YamlTree} turns untrusted YAML into a Jackson tree under
 * size, alias and key limits; {@code Reader}, {@code ServiceReader} and {@code MountReader} walk that tree
 * and record a problem per bad key instead of throwing; {@code Values} holds the Compose scalar syntaxes
 * (byte sizes, durations, shell words, capability names). Not API: use {@code dev.fleetlet.protocol.app}.
 */
package dev.fleetlet.protocol.app.internal;
