package dev.fleetlet.oci.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds small runnable images with umoci around the static busybox, and pushes them to a
 * {@link TestRegistry} with skopeo.
 */
public final class TestImageBuilder {
    private static final List<String> APPLETS = List.of("sh", "cat", "echo", "ls", "sleep", "tail", "dd", "head",
            "true", "mkdir", "touch", "rm", "test", "yes", "env", "id", "hostname", "wc", "seq");

    private final Path layout;
    private final String umoci;
    private final String skopeo;

    public TestImageBuilder(Path workDir) {
        this.layout = workDir.resolve("oci-layout");
        this.umoci = RequiredTool.path("umoci", "umoci");
        this.skopeo = RequiredTool.path("skopeo", "skopeo");
        if (!Files.exists(layout)) {
            Exec.run(umoci, "init", "--layout", layout.toString());
        }
    }

    /** A busybox image (one layer) plus extra files, with the given architecture in its config. */
    public void busybox(String tag, String architecture, Map<String, String> extraFiles) throws IOException {
        Exec.run(umoci, "new", "--image", layout + ":" + tag);
        Path bundle = Files.createTempDirectory(layout.getParent(), "bundle");
        Exec.run("rm", "-rf", bundle.toString());
        Exec.run(umoci, "unpack", "--image", layout + ":" + tag, bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of(RequiredTool.path("busybox", "busybox-static")), bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String d : List.of("proc", "sys", "dev", "tmp", "etc", "data")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        writeFiles(rootfs, extraFiles);
        Exec.run(umoci, "repack", "--image", layout + ":" + tag, bundle.toString());
        Exec.run("rm", "-rf", bundle.toString());
        Exec.run(umoci, "config", "--image", layout + ":" + tag, "--os", "linux", "--architecture", architecture,
                "--config.cmd", "/bin/sh");
    }

    /** Adds a layer on top of {@code from} (as a new tag): writes files and deletes paths. */
    public void derive(String from, String tag, Map<String, String> writes, List<String> deletes) throws IOException {
        Exec.run(umoci, "tag", "--image", layout + ":" + from, tag);
        Path bundle = Files.createTempDirectory(layout.getParent(), "bundle");
        Exec.run("rm", "-rf", bundle.toString());
        Exec.run(umoci, "unpack", "--image", layout + ":" + tag, bundle.toString());
        writeFiles(bundle.resolve("rootfs"), writes);
        for (String d : deletes) {
            Exec.run("rm", "-rf", bundle.resolve("rootfs").resolve(d).toString());
        }
        Exec.run(umoci, "repack", "--image", layout + ":" + tag, bundle.toString());
        Exec.run("rm", "-rf", bundle.toString());
    }

    /** Pushes a tag; {@code dockerFormat} converts to Docker v2 schema 2 media types. */
    public void push(String tag, TestRegistry registry, String repository, String remoteTag, boolean dockerFormat) {
        List<String> cmd = new ArrayList<>(List.of(skopeo, "copy", "--quiet", "--dest-tls-verify=false"));
        if (dockerFormat) {
            cmd.addAll(List.of("--format", "v2s2"));
        }
        if (registry.skopeoCreds() != null) {
            cmd.addAll(List.of("--dest-creds", registry.skopeoCreds()));
        }
        cmd.add("oci:" + layout + ":" + tag);
        cmd.add("docker://" + registry.host() + "/" + repository + ":" + remoteTag);
        Exec.run(cmd.toArray(String[]::new));
    }

    private static void writeFiles(Path rootfs, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = rootfs.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
    }
}
