package dev.fleetlet.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM options of the package's launcher script ({@code DEFAULT_JVM_OPTS="..."}), so the bench runs what ships. */
final class LauncherOptions {

    private static final Pattern OPTS = Pattern.compile("(?m)^DEFAULT_JVM_OPTS=\"([^\"]*)\"");

    private LauncherOptions() {
    }

    /** The options, with {@code ${FLEETLET_LOG_DIR}} pointing at {@code logDir}. */
    static List<String> read(Path launcher, Path logDir) throws IOException {
        Matcher m = OPTS.matcher(Files.readString(launcher));
        if (!m.find()) {
            throw new IllegalStateException("no DEFAULT_JVM_OPTS=\"...\" in " + launcher);
        }
        String opts = m.group(1).replace("\\\n", " ").replace("${FLEETLET_LOG_DIR}", logDir.toString()).trim();
        return List.of(opts.split("\\s+"));
    }
}
