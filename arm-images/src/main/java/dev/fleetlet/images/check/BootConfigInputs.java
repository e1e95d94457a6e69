package dev.fleetlet.images.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the inputs from which raspi-firmware's kernel hook ({@code /etc/kernel/postinst.d/z50-raspi-firmware}, also
 * run by its postrm and initramfs post-update hooks) rewrites {@code config.txt} and {@code cmdline.txt} on every
 * kernel or initramfs update on a board. The hook truncates both files, so whatever the image needs at boot must
 * come from these inputs, or the first {@code apt upgrade} with a new kernel loses it:
 * <ul>
 *   <li>{@code /etc/default/raspi-firmware} (a shell fragment the hook sources; the last assignment wins):
 *   {@code ROOTPART=PARTUUID=<disk id>-02}, {@code CONSOLES} set, and {@code KERNEL}/{@code INITRAMFS} unset or
 *   {@code auto} (any other value makes the hook stop copying new kernels to the boot partition);</li>
 *   <li>{@code /etc/default/raspi-firmware-custom} (appended to config.txt): {@code dtparam=i2c_arm=on} and
 *   {@code dtparam=watchdog=on};</li>
 *   <li>{@code /etc/default/raspi-extra-cmdline} (appended to cmdline.txt; one line, no comments):
 *   {@code rootfstype=ext4} and {@code cgroup_enable=memory};</li>
 *   <li>{@code /etc/initramfs-tools/conf.d/fleetlet}: {@code FSTYPE=ext4}. The hook always writes {@code rw}, so
 *   systemd never checks the root file system ({@code ConditionPathIsReadWrite=!/}); the initrd must, and
 *   initramfs-tools adds {@code fsck} to it only when it knows the root file system type;</li>
 *   <li>{@code /etc/apt/apt.conf.d/50fleetlet-keep-config}: {@code --force-confold}. {@code /etc/default/raspi-firmware}
 *   is a configuration file of the package: an update shipping a new version of it would otherwise stop an
 *   unattended upgrade to ask, or replace the image's settings.</li>
 * </ul>
 * A missing file or setting fails the check named {@code boot-config-inputs} with each problem named.
 */
final class BootConfigInputs {
    static final String DEFAULTS = "/etc/default/raspi-firmware";
    static final String CUSTOM = "/etc/default/raspi-firmware-custom";
    static final String EXTRA_CMDLINE = "/etc/default/raspi-extra-cmdline";
    static final String INITRAMFS_CONF = "/etc/initramfs-tools/conf.d/fleetlet";
    static final String APT_KEEP_CONFIG = "/etc/apt/apt.conf.d/50fleetlet-keep-config";
    static final String NAME = "boot-config-inputs";

    private BootConfigInputs() {
    }

    static CheckReport.Check check(Ext4Files ext4, long diskId) {
        List<String> problems = new ArrayList<>();
        String rootpart = String.format("PARTUUID=%08x-02", diskId);
        Optional<String> defaults = ext4.read(DEFAULTS);
        if (defaults.isEmpty()) {
            problems.add(DEFAULTS + " missing");
        } else {
            String text = defaults.get();
            Optional<String> root = lastAssignment(text, "ROOTPART");
            if (root.isEmpty()) {
                problems.add(DEFAULTS + ": ROOTPART not set (the hook would write the root device it finds at run time)");
            } else if (!root.get().equals(rootpart)) {
                problems.add(DEFAULTS + ": ROOTPART is " + root.get() + ", not " + rootpart);
            }
            if (lastAssignment(text, "CONSOLES").filter(c -> !c.isBlank() && !c.equals("auto")).isEmpty()) {
                problems.add(DEFAULTS + ": CONSOLES not set (auto probes the devices present when the hook runs)");
            }
            for (String auto : List.of("KERNEL", "INITRAMFS")) {
                lastAssignment(text, auto).filter(v -> !v.equals("auto")).ifPresent(v -> problems.add(
                        DEFAULTS + ": " + auto + " is " + v + ", not auto (new kernels would not reach the boot partition)"));
            }
        }
        Optional<String> custom = ext4.read(CUSTOM);
        if (custom.isEmpty()) {
            problems.add(CUSTOM + " missing");
        } else {
            List<String> lines = custom.get().lines().map(String::strip).toList();
            for (String want : List.of("dtparam=i2c_arm=on", "dtparam=watchdog=on")) {
                if (!lines.contains(want)) {
                    problems.add(CUSTOM + " lacks " + want);
                }
            }
        }
        Optional<String> extra = ext4.read(EXTRA_CMDLINE);
        if (extra.isEmpty()) {
            problems.add(EXTRA_CMDLINE + " missing");
        } else {
            String text = extra.get().strip();
            if (text.contains("\n") || text.contains("#")) {
                problems.add(EXTRA_CMDLINE + " is not one line without comments");
            }
            List<String> args = List.of(text.split("\\s+"));
            for (String want : List.of("rootfstype=ext4", "cgroup_enable=memory")) {
                if (!args.contains(want)) {
                    problems.add(EXTRA_CMDLINE + " lacks " + want);
                }
            }
        }
        // the hook writes rw: the initrd must check the root file system (systemd-fsck-root skips a read-write root)
        if (ext4.read(INITRAMFS_CONF).flatMap(c -> lastAssignment(c, "FSTYPE")).filter("ext4"::equals).isEmpty()) {
            problems.add(INITRAMFS_CONF + ": FSTYPE is not ext4 (the initrd gets no fsck, and with rw on the command line"
                    + " nothing checks the root file system)");
        }
        if (ext4.read(APT_KEEP_CONFIG).filter(c -> c.contains("\"--force-confold\"")).isEmpty()) {
            problems.add(APT_KEEP_CONFIG + " missing or without --force-confold (a package update could replace "
                    + DEFAULTS + " and its ROOTPART)");
        }
        return problems.isEmpty()
                ? new CheckReport.Check(NAME, true, "raspi-firmware's kernel hook keeps ROOTPART=" + rootpart
                        + ", the dtparam lines, rootfstype=ext4 and cgroup_enable=memory; initrd fsck for ext4; apt keeps them")
                : new CheckReport.Check(NAME, false, String.join("; ", problems));
    }

    /** The value of the last uncommented {@code NAME=value} line (quotes removed), as sourcing the file would leave it. */
    static Optional<String> lastAssignment(String shell, String name) {
        Matcher m = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(name) + "=(\"([^\"]*)\"|'([^']*)'|(\\S*))[ \\t]*$")
                .matcher(shell);
        String value = null;
        while (m.find()) {
            value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
        }
        return Optional.ofNullable(value);
    }
}
