package dev.fleetlet.hil.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * How an agent is started: through the package's own launcher script ({@code /usr/bin/fleetlet-agent} in the
 * .deb), so the tests run the agent with exactly the JVM options, environment and {@code -jar} classpath a board
 * uses. The launcher is pointed at a folder laid out like {@code /usr/share/fleetlet-agent}:
 * {@code fleetlet-agent.jar} (a copy of the built {@code edge-agent.jar}), {@code lib/} with every jar its manifest
 * {@code Class-Path} names, and the launcher's other files (e.g. {@code jvm.options}) when the package has them.
 *
 * <p>Environment given to the launcher: {@code FLEETLET_HOME} (that folder), {@code JAVA_HOME} (this JVM's),
 * {@code FLEETLET_LOG_DIR} (the agent's work dir, for JVM crash reports) and {@code FLEETLET_DEFAULTS} pointing at a
 * file that does not exist, so the build machine's {@code /etc/default/fleetlet-agent} is never read.
 *
 * @param javaHome the Java installation the launcher uses
 * @param home     the {@code /usr/share/fleetlet-agent}-like folder
 * @param launcher the launcher script
 */
public record AgentLaunch(Path javaHome, Path home, Path launcher) {

    /** The agent's main class (the jar's {@code Main-Class}). */
    public static final String MAIN_CLASS = "dev.fleetlet.agent.AgentMain";
    /**
     * System property naming the folder with {@code edge-agent.jar}, {@code lib/}, {@code bin/fleetlet-agent} and the
     * launcher's other files (hil-tests' pom sets it and copies them there before the ITs).
     */
    public static final String HOME_PROPERTY = "fleetlet.agent.home";

    /**
     * From the system property {@value #HOME_PROPERTY} with this JVM's Java.
     *
     * @throws IllegalStateException when the property is missing, or what {@link #fromAgentHome} found wrong
     */
    public static AgentLaunch fromSystemProperties() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            throw new IllegalStateException("set -D" + HOME_PROPERTY + "=<folder with edge-agent.jar, lib/ and "
                    + "bin/fleetlet-agent> (hil-tests' Failsafe configuration does; run the tests through "
                    + "./mvnw -pl hil-tests verify)");
        }
        return fromAgentHome(Path.of(System.getProperty("java.home")), Path.of(home));
    }

    /**
     * Checks {@code home} (agent jar, every jar its manifest names, launcher) and puts the jar where the launcher
     * expects it ({@code fleetlet-agent.jar}).
     *
     * @throws IllegalStateException naming what is missing
     */
    public static AgentLaunch fromAgentHome(Path javaHome, Path home) {
        Path built = home.resolve("edge-agent.jar");
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException("no " + built + ": package edge-agent first (./mvnw -pl edge-agent "
                    + "install -DskipTests with the same -Dfleetlet.build.dir)");
        }
        Path launcher = home.resolve("bin").resolve("fleetlet-agent");
        if (!Files.isRegularFile(launcher)) {
            throw new IllegalStateException("no launcher script " + launcher + " (copied from edge-agent/src/deb/bin)");
        }
        List<String> missing = new ArrayList<>();
        for (String entry : manifestClassPath(built)) {
            if (!Files.isRegularFile(home.resolve(entry))) {
                missing.add(entry);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the agent's manifest names jars that " + home + " lacks: " + missing);
        }
        try {
            Files.copy(built, home.resolve("fleetlet-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + built + " to fleetlet-agent.jar", e);
        }
        return new AgentLaunch(javaHome, home, launcher);
    }

    /** The command that starts one agent with {@code config}. */
    public List<String> command(Path config) {
        return List.of("/bin/sh", launcher.toString(), "--config", config.toString());
    }

    /** The launcher's environment for an agent whose files are in {@code workDir}. */
    public Map<String, String> environment(Path workDir) {
        return Map.of("FLEETLET_HOME", home.toString(), "JAVA_HOME", javaHome.toString(),
                "FLEETLET_LOG_DIR", workDir.toString(),
                "FLEETLET_DEFAULTS", workDir.resolve("no-etc-default-fleetlet-agent").toString());
    }

    private static List<String> manifestClassPath(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null || cp.isBlank()) {
                throw new IllegalStateException(jar + " has no manifest Class-Path");
            }
            return List.of(cp.trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar, e);
        }
    }
}
