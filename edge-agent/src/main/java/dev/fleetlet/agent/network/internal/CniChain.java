package dev.fleetlet.agent.network.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.agent.network.NetworkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a CNI network configuration list the way the CNI specification asks of a runtime: ADD through the
 * plugins in order, each getting the list's {@code cniVersion} and {@code name} and the previous plugin's
 * result as {@code prevResult}; DEL in reverse order with the cached ADD result as {@code prevResult};
 * CHECK in order with the cached result.
 */
public final class CniChain {
    private static final Logger log = LoggerFactory.getLogger(CniChain.class);

    private final CniPluginRunner runner;
    private final JsonNode conflist;

    public CniChain(CniPluginRunner runner, JsonNode conflist) {
        this.runner = runner;
        this.conflist = conflist;
    }

    /** The plugin types in chain order. */
    public List<String> types() {
        List<String> types = new ArrayList<>();
        conflist.path("plugins").forEach(p -> types.add(p.path("type").asText()));
        return types;
    }

    /** Fails fast, before anything is changed, when a plugin binary of the list is missing. */
    public void requirePlugins() {
        types().forEach(runner::locate);
    }

    /**
     * ADD through every plugin. Returns the last plugin's result (the network's result).
     *
     * @throws AddFailure wrapping the plugin's {@link NetworkException}, carrying the last good result so the
     *                    caller can roll back with DEL
     */
    public JsonNode add(String containerId, Path netns, String ifName) {
        JsonNode prev = null;
        for (JsonNode plugin : conflist.path("plugins")) {
            try {
                prev = runner.run(pluginConfig(plugin, prev), new CniPluginRunner.Invocation("ADD", containerId, netns, ifName));
            } catch (NetworkException e) {
                throw new AddFailure(e, prev);
            }
        }
        if (prev == null) {
            throw new NetworkException(NetworkException.Reason.INVALID, "network " + conflist.path("name").asText()
                    + " has no plugins");
        }
        return prev;
    }

    /**
     * DEL through every plugin in reverse order. Keeps going after a failure so every plugin gets to release
     * its part; returns the failures (empty when all succeeded).
     */
    public List<NetworkException> delete(String containerId, Path netns, String ifName, JsonNode cachedResult) {
        List<JsonNode> plugins = new ArrayList<>();
        conflist.path("plugins").forEach(plugins::add);
        List<NetworkException> failures = new ArrayList<>();
        for (int i = plugins.size() - 1; i >= 0; i--) {
            try {
                runner.run(pluginConfig(plugins.get(i), cachedResult), new CniPluginRunner.Invocation("DEL", containerId, netns, ifName));
            } catch (NetworkException e) {
                log.warn("CNI DEL failed network={} containerId={} plugin={} error={}", conflist.path("name").asText(),
                        containerId, plugins.get(i).path("type").asText(), e.getMessage());
                failures.add(e);
            }
        }
        return failures;
    }

    /** CHECK through every plugin in order with the cached ADD result; the first failure is thrown. */
    public void check(String containerId, Path netns, String ifName, JsonNode cachedResult) {
        for (JsonNode plugin : conflist.path("plugins")) {
            runner.run(pluginConfig(plugin, cachedResult), new CniPluginRunner.Invocation("CHECK", containerId, netns, ifName));
        }
    }

    private ObjectNode pluginConfig(JsonNode plugin, JsonNode prevResult) {
        ObjectNode cfg = plugin.deepCopy();
        cfg.put("cniVersion", conflist.path("cniVersion").asText());
        cfg.put("name", conflist.path("name").asText());
        if (prevResult != null) {
            cfg.set("prevResult", prevResult);
        }
        return cfg;
    }

    /** An ADD that failed part-way: the plugin's error and the result of the plugins before it, if any. */
    public static final class AddFailure extends RuntimeException {
        private final transient JsonNode partialResult;

        AddFailure(NetworkException cause, JsonNode partialResult) {
            super(cause.getMessage(), cause);
            this.partialResult = partialResult;
        }

        public NetworkException error() {
            return (NetworkException) getCause();
        }

        public JsonNode partialResult() {
            return partialResult;
        }
    }
}
