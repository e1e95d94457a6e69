package dev.fleetlet.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.fs.AtomicFiles;
import dev.fleetlet.agent.network.NetworkException.Reason;
import dev.fleetlet.agent.network.internal.CniChain;
import dev.fleetlet.agent.network.internal.CniPluginRunner;
import dev.fleetlet.agent.network.internal.CniResult;
import dev.fleetlet.agent.network.internal.Conflist;
import dev.fleetlet.agent.network.internal.MasqueradeRules;
import dev.fleetlet.agent.network.internal.NetnsMounts;
import dev.fleetlet.agent.network.internal.ResolverFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AppNetworks} through the standard CNI plugins, executed directly (no CNI library, no daemon).
 *
 * <p>Layout under {@link NetworkConfig#stateDir()}: {@code netns/<app>} (the namespace, an nsfs bind mount),
 * {@code cni/<network>.conflist} (the list being run, for operators), {@code cni/ipam/<network>/} (host-local's
 * allocations), {@code cni/results/<app>.json} (the cached ADD result, needed for DEL and CHECK and for
 * finding the network again after a restart), {@code apps/<app>/resolv.conf} and {@code hosts}. The CNI
 * container id of an app is {@code fleetlet-<app>}, its interface {@code eth0}.
 */
public final class CniAppNetworks implements AppNetworks {
    private static final Logger log = LoggerFactory.getLogger(CniAppNetworks.class);
    private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    static final String CONTAINER_ID_PREFIX = "fleetlet-";
    static final String IFNAME = "eth0";

    private final NetworkConfig config;
    private final ObjectMapper json;
    private final NetnsMounts netns;
    private final CniChain chain;
    private final CniChain loopback;
    private final Path ipamDir;
    private final MasqueradeRules masquerade = new MasqueradeRules("iptables");

    /** Real plugins from {@link NetworkConfig#pluginDirs()}, namespaces tracked through {@code /proc/self/mountinfo}. */
    public CniAppNetworks(NetworkConfig config) {
        this(config, new ObjectMapper(), Path.of("/proc/self/mountinfo"), Duration.ofSeconds(60));
    }

    CniAppNetworks(NetworkConfig config, ObjectMapper json, Path mountinfo, Duration pluginTimeout) {
        this.config = config;
        this.json = json;
        this.netns = new NetnsMounts(mountinfo);
        this.ipamDir = config.stateDir().resolve("cni/ipam");
        CniPluginRunner runner = new CniPluginRunner(config.pluginDirs(), pluginTimeout, json);
        this.chain = new CniChain(runner, Conflist.appNetwork(json, config, ipamDir));
        this.loopback = new CniChain(runner, Conflist.loopback(json, config));
    }

    /** The namespace file an app's containers join ({@code networkNamespace} of the container spec). */
    public Path netnsPath(String appName) {
        return config.stateDir().resolve("netns").resolve(appName);
    }

    @Override
    public synchronized AppNetwork attach(String appName, Collection<String> serviceNames) {
        requireAppName(appName);
        ResolverFiles.hosts(appName, "0.0.0.0", serviceNames); // validates the names before anything changes
        Path ns = netnsPath(appName);
        Optional<JsonNode> cached = readResult(appName);
        if (cached.isPresent() && netns.isMounted(ns)) {
            AppNetwork existing = toNetwork(appName, cached.get());
            writeHosts(existing, serviceNames);
            return existing;
        }
        if (cached.isPresent() || Files.exists(ns) || !allocationsOf(containerId(appName)).isEmpty()) {
            log.info("app network stale, recreating app={} netns={}", appName, ns);
            teardown(appName);
        }
        chain.requirePlugins();
        loopback.requirePlugins();
        writeConflist();
        netns.create(ns);
        JsonNode result = null;
        try {
            loopback.add(containerId(appName), ns, "lo");
            result = chain.add(containerId(appName), ns, IFNAME);
            AtomicFiles.write(resultFile(appName), json.writeValueAsBytes(result));
            AppNetwork network = toNetwork(appName, result);
            writeResolvConf(network);
            writeHosts(network, serviceNames);
            log.info("app network attached app={} address={} gateway={} netns={}", appName, network.cidr(), network.gateway(), ns);
            return network;
        } catch (CniChain.AddFailure e) {
            rollback(appName, e.partialResult());
            throw e.error();
        } catch (IOException e) {
            rollback(appName, result);
            throw new NetworkException(Reason.NAMESPACE, "app " + appName + ": cannot write network files: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback(appName, result);
            throw e;
        }
    }

    @Override
    public synchronized void detach(String appName) {
        requireAppName(appName);
        teardown(appName);
    }

    @Override
    public synchronized Optional<AppNetwork> find(String appName) {
        requireAppName(appName);
        if (!netns.isMounted(netnsPath(appName))) {
            return Optional.empty();
        }
        return readResult(appName).map(r -> toNetwork(appName, r));
    }

    @Override
    public synchronized List<AppNetwork> list() {
        List<AppNetwork> out = new ArrayList<>();
        for (String app : resultApps()) {
            find(app).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(AppNetwork::appName));
        return out;
    }

    @Override
    public synchronized void check(String appName) {
        requireAppName(appName);
        Path ns = netnsPath(appName);
        JsonNode result = readResult(appName).orElseThrow(() ->
                new NetworkException(Reason.INVALID, "app " + appName + " has no network to check"));
        if (!netns.isMounted(ns)) {
            throw new NetworkException(Reason.NAMESPACE, "app " + appName + ": network namespace " + ns + " is gone");
        }
        chain.check(containerId(appName), ns, IFNAME, result);
    }

    @Override
    public synchronized List<String> reconcile() {
        TreeSet<String> released = new TreeSet<>();
        for (String app : resultApps()) {
            if (!netns.isMounted(netnsPath(app))) {
                teardown(app);
                released.add(app);
            }
        }
        for (String app : listNames(config.stateDir().resolve("netns"))) {
            if (APP.matcher(app).matches() && readResult(app).isEmpty()) {
                teardown(app);
                released.add(app);
            }
        }
        for (String id : allocatedContainerIds()) {
            String app = id.substring(CONTAINER_ID_PREFIX.length());
            if (APP.matcher(app).matches() && readResult(app).isEmpty()) {
                teardown(app);
                released.add(app);
            }
        }
        if (!released.isEmpty()) {
            log.info("app networks released at reconcile apps={}", released);
        }
        return List.copyOf(released);
    }

    /** DEL (best effort, logged), namespace removal, files removed; the result is kept while IPAM still holds an address. */
    private void teardown(String appName) {
        Path ns = netnsPath(appName);
        boolean mounted = netns.isMounted(ns);
        JsonNode cached = readResult(appName).orElse(null);
        String id = containerId(appName);
        if (cached != null || mounted || !allocationsOf(id).isEmpty()) {
            chain.delete(id, mounted ? ns : null, IFNAME, cached);
            if (mounted) {
                loopback.delete(id, ns, "lo", null);
            } else {
                // bridge's DEL cannot find the addresses to un-masquerade without the namespace
                masquerade.release(config.networkName(), id);
            }
        }
        netns.remove(ns);
        deleteQuietly(config.stateDir().resolve("apps").resolve(appName).resolve("resolv.conf"));
        deleteQuietly(config.stateDir().resolve("apps").resolve(appName).resolve("hosts"));
        deleteQuietly(config.stateDir().resolve("apps").resolve(appName));
        if (allocationsOf(id).isEmpty()) {
            deleteQuietly(resultFile(appName));
            log.info("app network detached app={}", appName);
        } else {
            log.warn("app network detached but IPAM still holds an address, retried at next reconcile app={} addresses={}",
                    appName, allocationsOf(id));
        }
    }

    private void rollback(String appName, JsonNode partialResult) {
        Path ns = netnsPath(appName);
        String id = containerId(appName);
        chain.delete(id, ns, IFNAME, partialResult);
        try {
            netns.remove(ns);
        } catch (NetworkException e) {
            log.warn("rollback could not remove namespace app={} error={}", appName, e.getMessage());
        }
        deleteQuietly(resultFile(appName));
        deleteQuietly(config.stateDir().resolve("apps").resolve(appName).resolve("resolv.conf"));
        deleteQuietly(config.stateDir().resolve("apps").resolve(appName).resolve("hosts"));
        deleteQuietly(config.stateDir().resolve("apps").resolve(appName));
    }

    private AppNetwork toNetwork(String appName, JsonNode result) {
        CniResult r = CniResult.parse(result);
        Path appDir = config.stateDir().resolve("apps").resolve(appName);
        return new AppNetwork(appName, netnsPath(appName), r.address(), r.prefixLength(), r.gateway(),
                appDir.resolve("resolv.conf"), appDir.resolve("hosts"));
    }

    private void writeResolvConf(AppNetwork network) throws IOException {
        List<String> host = Files.isReadable(config.hostResolvConf())
                ? Files.readAllLines(config.hostResolvConf()) : List.of();
        String content = ResolverFiles.resolvConf(host, config.fallbackDns(), network.gateway());
        AtomicFiles.write(network.resolvConf(), content.getBytes(StandardCharsets.UTF_8));
    }

    private void writeHosts(AppNetwork network, Collection<String> serviceNames) {
        String content = ResolverFiles.hosts(network.appName(), network.ipv4Address(), serviceNames);
        try {
            AtomicFiles.write(network.hosts(), content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NetworkException(Reason.NAMESPACE, "app " + network.appName() + ": cannot write " + network.hosts() + ": " + e.getMessage(), e);
        }
    }

    private void writeConflist() {
        Path file = config.stateDir().resolve("cni").resolve(config.networkName() + ".conflist");
        try {
            AtomicFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(Conflist.appNetwork(json, config, ipamDir)));
        } catch (IOException e) {
            throw new NetworkException(Reason.NAMESPACE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private Optional<JsonNode> readResult(String appName) {
        Path file = resultFile(appName);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readTree(file.toFile()));
        } catch (IOException e) {
            log.warn("unreadable cached CNI result, treated as absent file={} error={}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private Path resultFile(String appName) {
        return config.stateDir().resolve("cni/results").resolve(appName + ".json");
    }

    private List<String> resultApps() {
        List<String> apps = new ArrayList<>();
        for (String name : listNames(config.stateDir().resolve("cni/results"))) {
            if (name.endsWith(".json") && APP.matcher(name.substring(0, name.length() - 5)).matches()) {
                apps.add(name.substring(0, name.length() - 5));
            }
        }
        return apps;
    }

    /** Addresses host-local has recorded for {@code containerId} (files named by address, first line the id). */
    List<String> allocationsOf(String containerId) {
        List<String> out = new ArrayList<>();
        Path dir = ipamDir.resolve(config.networkName());
        for (String name : listNames(dir)) {
            if (IPV4.matcher(name).matches() && containerId.equals(firstLine(dir.resolve(name)))) {
                out.add(name);
            }
        }
        return out;
    }

    private TreeSet<String> allocatedContainerIds() {
        TreeSet<String> ids = new TreeSet<>();
        Path dir = ipamDir.resolve(config.networkName());
        for (String name : listNames(dir)) {
            String id = IPV4.matcher(name).matches() ? firstLine(dir.resolve(name)) : "";
            if (id.startsWith(CONTAINER_ID_PREFIX)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> listNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new NetworkException(Reason.NAMESPACE, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete file={} error={}", p, e.getMessage());
        }
    }

    static String containerId(String appName) {
        return CONTAINER_ID_PREFIX + appName;
    }

    private static void requireAppName(String appName) {
        if (appName == null || !APP.matcher(appName).matches()) {
            throw new NetworkException(Reason.INVALID, "app name '" + appName + "' must match " + APP.pattern());
        }
    }
}
