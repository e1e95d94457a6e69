package dev.fleetlet.agent.network;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Per-app network namespaces: every service of an app joins its app's namespace (pod-like), which has one
 * address on the agent's bridge and reaches the outside through NAT. Host networking and private
 * loopback-only namespaces need no {@code AppNetworks} at all.
 *
 * <p>Implementations keep their state on disk, so a new instance after an agent restart finds the
 * networks the previous one created; call {@link #reconcile()} once at start to release what a crash or a
 * reboot left behind. Methods are safe to call from several threads.
 */
public interface AppNetworks {

    /**
     * Creates the app's namespace and connects it, or returns the existing one (then only the hosts file is
     * rewritten for {@code serviceNames}). On failure everything done so far is rolled back.
     *
     * @param appName      the app, {@code [a-z0-9][a-z0-9_.-]*}, at most 63 characters
     * @param serviceNames names written to the app's hosts file for the app's address
     * @throws NetworkException with {@link NetworkException.Reason#MISSING_PLUGIN}, {@code SUBNET_EXHAUSTED},
     *                          {@code PLUGIN_FAILED}, {@code NAMESPACE} or {@code INVALID}
     */
    AppNetwork attach(String appName, Collection<String> serviceNames);

    /** {@link #attach(String, Collection)} with no service names. */
    default AppNetwork attach(String appName) {
        return attach(appName, List.of());
    }

    /**
     * Disconnects the app and removes its namespace and files. Does nothing when the app has no network.
     * Plugin errors are logged, never thrown, and the namespace is removed regardless; an IPAM release that
     * failed is retried by the next {@link #reconcile()}.
     *
     * @throws NetworkException {@code NAMESPACE} only when the namespace itself cannot be unmounted or deleted
     */
    void detach(String appName);

    /** The app's network if it exists (namespace mounted and its result recorded). */
    Optional<AppNetwork> find(String appName);

    /** Every app network that exists, sorted by app name. */
    List<AppNetwork> list();

    /**
     * Asks the plugins to verify the app's network (CNI {@code CHECK}).
     *
     * @throws NetworkException when a plugin finds a problem or the app has no network
     */
    void check(String appName);

    /**
     * Releases what no live namespace backs: recorded networks whose namespace is gone (e.g. after a reboot),
     * namespaces without a recorded result (a crash during attach), and IPAM allocations of this agent's
     * network held by no recorded app. Returns the apps whose networks were released.
     */
    List<String> reconcile();
}
