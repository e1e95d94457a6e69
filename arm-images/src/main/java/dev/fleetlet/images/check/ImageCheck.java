package dev.fleetlet.images.check;

import java.nio.file.Path;

/**
 * Command line: {@code ImageCheck IMAGE [--injected]} prints one line per check and exits 0 when all pass, 1 when a
 * check fails, 2 when the image is refused (not a Fleetlet image, corrupt, or a tool missing) or on a usage error.
 */
public final class ImageCheck {
    private ImageCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--injected"))) {
            err.println("usage: ImageCheck IMAGE[.xz] [--injected]");
            return 2;
        }
        ImageChecker.Expect expect = args.length == 2 ? ImageChecker.Expect.INJECTED : ImageChecker.Expect.GENERIC;
        try {
            CheckReport report = new ImageChecker().check(Path.of(args[0]), expect);
            out.println(report);
            return report.passed() ? 0 : 1;
        } catch (ImageCheckException e) {
            err.println("image refused: " + e.getMessage());
            return 2;
        }
    }
}
