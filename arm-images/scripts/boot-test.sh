#!/usr/bin/env bash
# Boot test of the built image (`./dev boot-test`): boots the image's own kernel and initrd in
# qemu-system-aarch64 -M virt (TCG software emulation) on a copy of the image with provisioning injected by
# fleetctl, pointing at a fleet server started on this host (10.0.2.2 from QEMU's user-mode network), and
# waits until the board has enrolled and its telemetry is visible through the server's query API.
#   boot-test.sh IMAGE(.img or .img.xz) [TIMEOUT_SECONDS, default 1800]
# Environment: FLEETLET_BUILD_DIR (where fleet-server.jar and fleetctl.jar are, default target),
#   BOOT_TEST_KEEP=1 keeps the work dir (serial console log, server log, disk copy).
# The copy (not the generic image) gets a simulated board with one bme280 sensor in /etc/fleetlet/agent.yml,
# written with debugfs -w (no mount): the generic image configures no sensors.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[ -f "${1:?usage: boot-test.sh IMAGE [TIMEOUT_SECONDS]}" ] || { echo "boot-test: no image file $1 (build one with ./dev image)" >&2; exit 1; }
image="$(readlink -f "$1")"
timeout_s="${2:-1800}"
build_dir="${FLEETLET_BUILD_DIR:-target}"
server_jar="$repo/fleet-server/$build_dir/fleet-server.jar"
fleetctl_jar="$repo/provisioning/$build_dir/fleetctl.jar"

missing=()
for t in qemu-system-aarch64:qemu-system-arm debugfs:e2fsprogs mcopy:mtools xz:xz-utils curl:curl jq:jq python3:python3 java:openjdk-17-jdk-headless; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then echo "boot-test: missing tools; install: apt-get install ${missing[*]}" >&2; exit 1; fi
for j in "$server_jar" "$fleetctl_jar"; do
  [ -f "$j" ] || { echo "boot-test: no $j: ./mvnw -pl fleet-server,provisioning package -DskipTests -Dfleetlet.build.dir=$build_dir" >&2; exit 1; }
done

work="$(mktemp -d /tmp/fleetlet-boot-test.XXXXXX)"
server_pid=""; qemu_pid=""
cleanup() {
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && wait "$server_pid" 2>/dev/null || true
  if [ "${BOOT_TEST_KEEP:-0}" = 1 ]; then echo "boot-test: work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
t0=$(date +%s)
stamp() { echo "boot-test: [$(( $(date +%s) - t0 )) s] $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. Fleet server on the host. QEMU's user-mode network maps the guest's 10.0.2.2 to the host's loopback.
http_port=$(free_port); mqtt_port=$(free_port); mqtts_port=$(free_port)
password="boot-test-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
java -Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -Dfleetlet.data-dir="$work/server-data" -Dmicronaut.server.port="$http_port" \
  -Dfleetlet.mqtt.host=127.0.0.1 -Dfleetlet.mqtt.port="$mqtt_port" -Dfleetlet.mqtt.tls.port="$mqtts_port" \
  -Dfleetlet.mqtt.public-uri="tcp://10.0.2.2:$mqtt_port" -Dfleetlet.admin.initial-password="$password" \
  -jar "$server_jar" > "$work/server.log" 2>&1 &
server_pid=$!
api="http://127.0.0.1:$http_port"
for _ in $(seq 1 180); do
  curl -fsS "$api/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { tail -40 "$work/server.log"; echo "boot-test: the fleet server exited" >&2; exit 1; }
  sleep 1
done
curl -fsS "$api/health" >/dev/null || { tail -40 "$work/server.log"; echo "boot-test: fleet server not healthy" >&2; exit 1; }
stamp "fleet server up on $api (MQTT $mqtt_port)"
token="$(curl -fsS -u "admin:$password" -H 'Content-Type: application/json' \
  -d '{"fleet":"boot-test","description":"qemu boot test","maxUses":1}' "$api/api/v1/provisioning-tokens" | jq -r '.token')"
case "$token" in flt_*) ;; *) echo "boot-test: no provisioning token from the server" >&2; exit 1 ;; esac

# 2. Disk: a copy of the image (grown by 512 MiB so first-boot growth has room), provisioning injected by
# fleetctl, a simulated sensor in agent.yml.
if head -c 6 "$image" | od -An -c | grep -q '7   z   X   Z'; then xz -dc "$image" > "$work/disk.img"; else cp "$image" "$work/disk.img"; fi
FLEETCTL_CONFIG="$work/fleetctl.json" java -jar "$fleetctl_jar" image inject "$work/disk.img" \
  --server "http://10.0.2.2:$http_port" --token "$token" --hostname-pattern 'qemu-{serial}' --force-offline
boot_off=$(sfdisk -d "$work/disk.img" | sed -n 's/.*img1 : start= *\([0-9]*\),.*/\1/p')
root_off=$(sfdisk -d "$work/disk.img" | sed -n 's/.*img2 : start= *\([0-9]*\),.*/\1/p')
cat > "$work/agent.yml" <<YML
# boot test copy: a simulated board with one sensor (the generic image has none)
agent:
  dataDir: /var/lib/fleetlet
  provisioningFile: /boot/firmware/fleetlet-provisioning.json
telemetry:
  batchInterval: 2s
hardware:
  board:
    type: simulated
  sensors:
    - type: bme280
      name: env
      bus: 1
      address: 0x76
      interval: 2s
YML
rootfs="$work/disk.img?offset=$((root_off * 512))"
debugfs -w -R "rm /etc/fleetlet/agent.yml" "$rootfs" >/dev/null 2>&1
(cd "$work" && debugfs -w -f - "$rootfs" >/dev/null 2>&1 <<DBG
cd /etc/fleetlet
write agent.yml agent.yml
sif agent.yml mode 0100644
sif agent.yml uid 0
sif agent.yml gid 0
DBG
)
debugfs -R "cat /etc/fleetlet/agent.yml" "$rootfs" 2>/dev/null | grep -q 'type: simulated' || {
  echo "boot-test: could not write agent.yml into the disk copy" >&2; exit 1; }
# The kernel and initrd config.txt names (versioned, as raspi-firmware's kernel hook names them).
config="$(mtype -i "$work/disk.img@@$((boot_off * 512))" ::/config.txt | tr -d '\r')"
kernel_file="$(printf '%s\n' "$config" | sed -n 's/^kernel=//p' | tail -n1)"
initrd_file="$(printf '%s\n' "$config" | sed -n 's/^initramfs[[:space:]]\+\([^[:space:]]*\).*/\1/p' | tail -n1)"
[ -n "$kernel_file" ] && [ -n "$initrd_file" ] || { echo "boot-test: config.txt names no kernel= or initramfs" >&2; exit 1; }
mcopy -i "$work/disk.img@@$((boot_off * 512))" "::/$kernel_file" "$work/vmlinuz"
mcopy -i "$work/disk.img@@$((boot_off * 512))" "::/$initrd_file" "$work/initrd.img"
cmdline="$(mtype -i "$work/disk.img@@$((boot_off * 512))" ::/cmdline.txt | tr -d '\r\n' | sed -e 's/console=[^ ]*//g' -e 's/  */ /g')"
truncate -s +512M "$work/disk.img"
stamp "disk ready: injected, kernel cmdline: console=ttyAMA0 $cmdline"

# 3. Boot under TCG.
qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 -no-reboot \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.img" -append "console=ttyAMA0 $cmdline" \
  -drive if=none,file="$work/disk.img",format=raw,id=d0 -device virtio-blk-pci,drive=d0 \
  -netdev user,id=n0 -device virtio-net-pci,netdev=n0 \
  -serial "file:$work/console.log" -monitor none -display none > "$work/qemu.log" 2>&1 &
qemu_pid=$!
boot_start=$(date +%s)
stamp "qemu started (pid $qemu_pid); serial console: $work/console.log"

# 4. Wait for enrollment, then telemetry.
device=""; enrolled_at=""; seen=""
deadline=$((boot_start + timeout_s))
last_line=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  kill -0 "$qemu_pid" 2>/dev/null || { tail -40 "$work/console.log"; echo "boot-test: qemu exited" >&2; exit 1; }
  line="$(grep -a -E 'Reached target|fleetlet|Welcome|login:' "$work/console.log" 2>/dev/null | tail -n1 | tr -d '\r' || true)"
  if [ -n "$line" ] && [ "$line" != "$last_line" ]; then echo "boot-test: [$(( $(date +%s) - boot_start )) s since boot] console: ${line:0:150}"; last_line="$line"; fi
  if [ -z "$device" ]; then
    device="$(curl -fsS -u "admin:$password" "$api/api/v1/devices?page=0&size=10" | jq -r '.items[0].id // empty' || true)"
    if [ -n "$device" ]; then enrolled_at=$(date +%s); stamp "device $device enrolled $((enrolled_at - boot_start)) s after qemu start"; fi
  else
    points="$(curl -fsS -u "admin:$password" "$api/api/v1/devices/$device/telemetry" | jq -r '(.points // []) | length' || echo 0)"
    if [ "${points:-0}" -gt 0 ]; then
      seen=$(date +%s)
      curl -fsS -u "admin:$password" "$api/api/v1/devices/$device/telemetry?limit=3" | jq -c '.points[:3]' || true
      break
    fi
  fi
  sleep 5
done
if [ -z "$seen" ]; then
  echo "boot-test: FAILED: no ${device:+telemetry from $device}${device:-enrollment} within $timeout_s s; console tail:" >&2
  tail -30 "$work/console.log" >&2
  BOOT_TEST_KEEP=1
  exit 1
fi
echo "BENCH boot-test enroll_s=$((enrolled_at - boot_start)) telemetry_s=$((seen - boot_start)) device=$device"
stamp "passed: enrolled after $((enrolled_at - boot_start)) s, telemetry visible after $((seen - boot_start)) s (qemu TCG, load $(cut -d' ' -f1 /proc/loadavg))"
