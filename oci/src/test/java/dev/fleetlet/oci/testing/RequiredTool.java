package dev.fleetlet.oci.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a host tool the integration tests need; a missing tool fails the test with the apt command. */
public final class RequiredTool {
    private RequiredTool() {
    }

    public static String path(String tool, String debianPackage) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("%s not found: install %s (apt-get install %s)", tool, debianPackage, debianPackage);
    }
}
