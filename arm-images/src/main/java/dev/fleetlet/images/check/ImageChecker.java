package dev.fleetlet.images.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Fleetlet Raspberry Pi image against what the image build promises, reading it without mounting:
 * partition table, boot files ({@code config.txt}, {@code cmdline.txt}, the versioned kernel and initrd, the board device
 * trees), the raspi-firmware inputs that keep that boot configuration through kernel updates on a board
 * ({@link BootConfigInputs}), enabled units, the hooks
 * that put the 1-Wire node back into device trees the Debian packages replace, absence of baked-in
 * identities and secrets, and the provisioning files written by {@code fleetctl image inject}.
 *
 * <p>An image that is not a Fleetlet disk layout at all (not an MBR disk, wrong partition types, corrupt file
 * systems) is refused with {@link ImageCheckException} naming the reason; a Fleetlet layout with wrong content
 * gives a report with failed checks.
 */
public final class ImageChecker {
    /** Whether provisioning files are expected on the boot partition. */
    public enum Expect {
        /** The generic image: no provisioning, Wi-Fi or SSH key file may be present. */
        GENERIC,
        /** An injected copy: {@code fleetlet-provisioning.json} must be present and well-formed. */
        INJECTED
    }

    static final String PROVISIONING = "fleetlet-provisioning.json";
    static final String WIFI = "fleetlet-wifi.conf";
    static final String SSH_KEYS = "fleetlet-ssh-authorized-keys";
    private static final Pattern SERVER_URL = Pattern.compile("\"serverUrl\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"flt_[a-z0-9]{10}_[A-Za-z0-9]{32}\"");

    /** Checks {@code image} (raw or xz). */
    public CheckReport check(Path image, Expect expect) {
        try (DiskImage disk = DiskImage.open(image)) {
            List<CheckReport.Check> checks = new ArrayList<>();
            checks.add(pass("partition-table", String.format(
                    "MBR disk id %08x, p1 FAT32 LBA %d MiB%s, p2 Linux %d MiB", disk.diskId(),
                    disk.boot().size() >> 20, disk.boot().bootable() ? " (bootable)" : "", disk.root().size() >> 20)));
            FatFiles fat = new FatFiles(disk);
            Ext4Files ext4 = new Ext4Files(disk);
            checkBootFiles(fat, disk, checks);
            checks.add(BootConfigInputs.check(ext4, disk.diskId()));
            checkUnits(ext4, checks);
            checkOneWireHooks(ext4, checks);
            checkNoIdentities(ext4, checks);
            checkProvisioning(fat, ext4, expect, checks);
            return new CheckReport(checks);
        }
    }

    private static void checkBootFiles(FatFiles fat, DiskImage disk, List<CheckReport.Check> checks) {
        Optional<String> config = fat.read("config.txt");
        if (config.isEmpty()) {
            checks.add(fail("config.txt", "missing on the boot partition"));
        } else {
            List<String> lines = config.get().lines().map(String::strip).toList();
            List<String> missing = new ArrayList<>();
            for (String want : List.of("arm_64bit=1", "dtparam=i2c_arm=on", "dtparam=watchdog=on")) {
                if (!lines.contains(want)) {
                    missing.add(want);
                }
            }
            checks.add(missing.isEmpty() ? pass("config.txt", "arm_64bit, I2C and watchdog on")
                    : fail("config.txt", "lacks " + String.join(", ", missing)));
            checks.add(checkKernelFiles(lines, fat.rootNames()));
        }
        checks.add(DeviceTrees.check(fat));
        Optional<String> cmdline = fat.read("cmdline.txt");
        if (cmdline.isEmpty()) {
            checks.add(fail("cmdline.txt", "missing on the boot partition"));
        } else {
            String text = cmdline.get().strip();
            List<String> args = List.of(text.split("\\s+"));
            String expectedRoot = String.format("root=PARTUUID=%08x-02", disk.diskId());
            List<String> problems = new ArrayList<>();
            if (text.contains("\n")) {
                problems.add("more than one line");
            }
            if (!args.contains("cgroup_enable=memory")) {
                problems.add("no cgroup_enable=memory");
            }
            if (!args.contains(expectedRoot)) {
                problems.add("no " + expectedRoot + " (root= is " + args.stream().filter(a -> a.startsWith("root="))
                        .findFirst().orElse("absent") + ")");
            }
            checks.add(problems.isEmpty() ? pass("cmdline.txt", "cgroup_enable=memory, " + expectedRoot)
                    : fail("cmdline.txt", String.join("; ", problems)));
        }
    }

    /**
     * The kernel and initrd that config.txt names must be on the boot partition, under the versioned names
     * raspi-firmware's kernel hook uses ({@code vmlinuz-<version>}, {@code initrd.img-<version>}): the hook deletes
     * versioned files whose kernel left /boot and never updates fixed-name ones, which would go stale.
     */
    private static CheckReport.Check checkKernelFiles(List<String> configLines, List<String> bootNames) {
        Optional<String> kernel = configLines.stream().filter(l -> l.startsWith("kernel=")).reduce((a, b) -> b)
                .map(l -> l.substring("kernel=".length()).strip());
        Optional<String> initrd = configLines.stream().filter(l -> l.startsWith("initramfs ")).reduce((a, b) -> b)
                .map(l -> l.substring("initramfs ".length()).strip().split("\\s+")[0]);
        List<String> problems = new ArrayList<>();
        bootFileProblem("kernel=", kernel, "vmlinuz-", bootNames).ifPresent(problems::add);
        bootFileProblem("initramfs", initrd, "initrd.img-", bootNames).ifPresent(problems::add);
        return problems.isEmpty()
                ? pass("kernel-files", kernel.orElseThrow() + " and " + initrd.orElseThrow() + " on the boot partition")
                : fail("kernel-files", String.join("; ", problems));
    }

    private static Optional<String> bootFileProblem(String directive, Optional<String> name, String prefix,
                                                    List<String> bootNames) {
        if (name.isEmpty()) {
            return Optional.of("config.txt has no " + directive + " line");
        }
        if (!name.get().startsWith(prefix)) {
            return Optional.of(directive + " names " + name.get() + ", not a versioned " + prefix + "<version>");
        }
        if (!bootNames.contains(name.get())) {
            return Optional.of(directive + " names " + name.get() + ", which is not on the boot partition");
        }
        return Optional.empty();
    }

    private static void checkUnits(Ext4Files ext4, List<CheckReport.Check> checks) {
        wanted(ext4, checks, "agent-enabled", "multi-user.target.wants", "fleetlet-agent.service", true);
        wanted(ext4, checks, "firstboot-enabled", "sysinit.target.wants", "fleetlet-firstboot.service", true);
        wanted(ext4, checks, "growroot-enabled", "local-fs.target.wants", "fleetlet-growroot.service", true);
        wanted(ext4, checks, "ssh-off", "multi-user.target.wants", "ssh.service", false);
        Optional<String> agentYml = ext4.read("/etc/fleetlet/agent.yml");
        boolean readsBoot = agentYml.isPresent() && Pattern.compile(
                "(?m)^\\s+provisioningFile:\\s*/boot/firmware/fleetlet-provisioning\\.json\\s*$").matcher(agentYml.get()).find();
        checks.add(readsBoot ? pass("agent-config", "provisioningFile is /boot/firmware/" + PROVISIONING)
                : fail("agent-config", agentYml.isEmpty() ? "/etc/fleetlet/agent.yml missing"
                : "agent.yml does not read /boot/firmware/" + PROVISIONING));
        Optional<String> fstab = ext4.read("/etc/fstab");
        boolean bootMounted = fstab.isPresent() && fstab.get().lines().anyMatch(l -> l.matches("\\S+-01\\s+/boot/firmware\\s+vfat\\s.*"));
        checks.add(bootMounted ? pass("fstab", "boot partition mounted at /boot/firmware")
                : fail("fstab", "no vfat /boot/firmware line for partition 1"));
        Optional<String> journald = ext4.read("/etc/systemd/journald.conf.d/50-fleetlet-sdcard.conf");
        checks.add(journald.filter(j -> j.contains("SystemMaxUse=")).isPresent()
                ? pass("journald", "size-capped for SD cards") : fail("journald", "no SystemMaxUse drop-in"));
        Optional<String> watchdog = ext4.read("/etc/systemd/system.conf.d/50-fleetlet-watchdog.conf");
        checks.add(watchdog.filter(w -> w.contains("RuntimeWatchdogSec=")).isPresent()
                ? pass("watchdog", "systemd RuntimeWatchdogSec set") : fail("watchdog", "no RuntimeWatchdogSec drop-in"));
    }

    /**
     * raspi-firmware copies the newest kernel's pristine device trees to the boot partition from its kernel postinst
     * hook, again from its kernel postrm hook (an old kernel removed, e.g. by {@code apt autoremove}) and from its
     * initramfs post-update hook (every {@code update-initramfs}, e.g. the initramfs-tools trigger after a package
     * upgrade): each needs a {@code zz-fleetlet-onewire} hook that runs after it, or the board boots without 1-Wire
     * until the boot after next.
     */
    private static void checkOneWireHooks(Ext4Files ext4, List<CheckReport.Check> checks) {
        List<String> problems = new ArrayList<>();
        for (String dir : List.of("/etc/kernel/postinst.d", "/etc/kernel/postrm.d", "/etc/initramfs/post-update.d")) {
            Optional<Ext4Files.Entry> hook = ext4.list(dir).orElse(List.of()).stream()
                    .filter(e -> e.name().equals(ONEWIRE_HOOK)).findFirst();
            if (hook.isEmpty()) {
                problems.add("no " + dir + "/" + ONEWIRE_HOOK);
            } else if (!hook.get().regularFile() || (hook.get().mode() & 0111) == 0) {
                problems.add(dir + "/" + ONEWIRE_HOOK + " is not an executable file");
            }
        }
        checks.add(problems.isEmpty() ? pass("onewire-hooks", "1-Wire re-applied after kernel installs and removals and initramfs updates")
                : fail("onewire-hooks", String.join("; ", problems)));
    }

    private static final String ONEWIRE_HOOK = "zz-fleetlet-onewire";

    private static void wanted(Ext4Files ext4, List<CheckReport.Check> checks, String name, String wants, String unit,
                               boolean expected) {
        String path = "/etc/systemd/system/" + wants + "/" + unit;
        Optional<String> target = ext4.linkTarget(path);
        if (expected) {
            checks.add(target.isPresent() ? pass(name, path + " -> " + target.get())
                    : fail(name, "no symlink " + path));
        } else {
            checks.add(target.isEmpty() ? pass(name, unit + " not enabled")
                    : fail(name, unit + " is enabled (" + path + ")"));
        }
    }

    private static void checkNoIdentities(Ext4Files ext4, List<CheckReport.Check> checks) {
        List<String> hostKeys = ext4.list("/etc/ssh").orElse(List.of()).stream().map(Ext4Files.Entry::name)
                .filter(n -> n.startsWith("ssh_host_")).toList();
        checks.add(hostKeys.isEmpty() ? pass("no-host-keys", "no ssh_host_* in /etc/ssh")
                : fail("no-host-keys", "baked SSH host keys: " + String.join(", ", hostKeys)));
        Optional<String> machineId = ext4.read("/etc/machine-id");
        checks.add(machineId.isPresent() && machineId.get().isEmpty() ? pass("machine-id", "/etc/machine-id empty")
                : fail("machine-id", machineId.isEmpty() ? "/etc/machine-id missing (systemd needs it, empty)"
                : "/etc/machine-id is baked in (" + machineId.get().strip().length() + " chars)"));
        List<String> secrets = new ArrayList<>();
        Optional<String> shadow = ext4.read("/etc/shadow");
        if (shadow.isEmpty()) {
            secrets.add("/etc/shadow missing");
        } else {
            for (String line : shadow.get().lines().toList()) {
                String[] f = line.split(":", -1);
                if (f.length > 1 && f[1].startsWith("$")) {
                    secrets.add("password hash for user " + f[0]);
                }
            }
        }
        ext4.read("/root/.ssh/authorized_keys").ifPresent(k -> secrets.add("/root/.ssh/authorized_keys"));
        ext4.list("/var/lib/fleetlet").ifPresent(entries -> {
            if (!entries.isEmpty()) {
                secrets.add("agent state in /var/lib/fleetlet: " + entries.stream().map(Ext4Files.Entry::name).toList());
            }
        });
        ext4.read("/etc/wpa_supplicant/wpa_supplicant-wlan0.conf").ifPresent(w -> secrets.add("Wi-Fi credentials in /etc/wpa_supplicant"));
        checks.add(secrets.isEmpty() ? pass("no-secrets", "no password hashes, authorized keys, agent credentials or Wi-Fi keys")
                : fail("no-secrets", String.join("; ", secrets)));
    }

    private static void checkProvisioning(FatFiles fat, Ext4Files ext4, Expect expect, List<CheckReport.Check> checks) {
        List<String> names = fat.rootNames();
        boolean prov = names.contains(PROVISIONING);
        if (expect == Expect.GENERIC) {
            List<String> present = names.stream().filter(n -> n.equals(PROVISIONING) || n.equals(WIFI) || n.equals(SSH_KEYS)).toList();
            checks.add(present.isEmpty() ? pass("generic", "no provisioning, Wi-Fi or SSH key file on the boot partition")
                    : fail("generic", "the generic image carries " + String.join(", ", present)));
            return;
        }
        if (!prov) {
            checks.add(fail("provisioning", PROVISIONING + " missing on the boot partition"));
            return;
        }
        String json = fat.read(PROVISIONING).orElseThrow();
        Matcher url = SERVER_URL.matcher(json);
        boolean token = TOKEN.matcher(json).find();
        if (!url.find() || !token) {
            checks.add(fail("provisioning", PROVISIONING + " lacks " + (token ? "serverUrl" : "a well-formed token")));
            return;
        }
        String extras = (names.contains(WIFI) ? ", Wi-Fi" : "") + (names.contains(SSH_KEYS) ? ", SSH key" : "");
        checks.add(pass("provisioning", "serverUrl " + url.group(1) + ", token flt_…" + extras));
    }

    private static CheckReport.Check pass(String name, String detail) {
        return new CheckReport.Check(name, true, detail);
    }

    private static CheckReport.Check fail(String name, String detail) {
        return new CheckReport.Check(name, false, detail);
    }
}
