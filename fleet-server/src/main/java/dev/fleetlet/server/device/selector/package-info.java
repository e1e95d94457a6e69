/**
 * Kubernetes-style label selectors ({@code env=prod,site in (a,b),!beta,tier!=db,gpu}): text is parsed by
 * {@link dev.fleetlet.server.device.selector.Selector#parse} into a list of
 * {@link dev.fleetlet.server.device.selector.Requirement}s (a conjunction), which is evaluated either in memory
 * against a label map or as SQL over {@code device_labels} by
 * {@link dev.fleetlet.server.device.selector.SelectorSql}. The device registry filters lists with it; the
 * rollout engine targets devices with it. {@link dev.fleetlet.server.device.selector.LabelRules} holds the label
 * key/value syntax used both here and when labels are written.
 */
package dev.fleetlet.server.device.selector;
