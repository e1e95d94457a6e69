package dev.fleetlet.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tuned JVM options of the package ({@code src/deb/share/jvm.options}, installed as
 * {@code /usr/share/fleetlet-agent/jvm.options} and read by the launcher): one option per line, {@code #}
 * starts a comment. The bench gives them to the floor peer so that both processes run with the same JVM.
 */
final class LauncherOptions {

    private LauncherOptions() {
    }

    /** The options in file order. */
    static List<String> read(Path jvmOptions) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(jvmOptions)) {
            int hash = line.indexOf('#');
            String option = (hash < 0 ? line : line.substring(0, hash)).trim();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        if (options.isEmpty()) {
            throw new IllegalStateException("no JVM options in " + jvmOptions);
        }
        return options;
    }
}
