package dev.fleetlet.provisioning;

import dev.fleetlet.provisioning.image.ImageTool;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine;

/** Runs fleetctl in this JVM with a given config file and stdin, capturing exit code, stdout and stderr. */
record CliRun(int exit, String out, String err) {

    static CliRun run(Path config, String stdin, String... args) {
        Fleetctl cli = new Fleetctl(new ProfileStore(config), new ImageTool(Path.of("/proc/mounts"), Path.of("/sys/class/block")),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC());
        CommandLine cl = cli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit=" + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
